// The timeout warning (HMRC's "service timeout" pattern) for signed-in pages. Without JavaScript the page says
// how long a session lasts instead (a <noscript> notice in base.html).
//
// The server is the clock: the page is given the seconds its session has left, and before warning (and again
// before ending) the script asks the server (a GET that never counts as activity), so work in another tab
// keeps this one open. "Stay signed in" and Escape post to the keep-alive, which starts the idle limit again,
// never past the absolute limit, and answers with the new time left. "Sign out" is a plain form.
// When time runs out on a page that keeps typed work, its form is sent with a marker: the server keeps what
// was typed (encrypted, for the same user) and never acts on it, then signs out; otherwise the page reloads
// and the server signs out.

const dialog = document.getElementById("timeout-dialog");
const SECOND = 1000;

if (dialog && typeof dialog.showModal === "function") {
  const warnSeconds = Number(dialog.dataset.warnSeconds);
  const statusUrl = dialog.dataset.statusUrl;
  const keepAliveForm = dialog.querySelector("form[data-keep-alive]");
  const live = dialog.querySelector("[data-countdown-live]");
  let endsAt = Date.now() + Number(dialog.dataset.secondsLeft) * SECOND;
  let timer = null;
  let ticker = null;
  let returnFocusTo = null;
  let lastAnnounced = "";
  let busy = false;
  // At the absolute limit the warning is shown once; after "Continue" it waits for the end.
  let finalSeen = false;

  const lead = () => (finalSeen ? 0 : warnSeconds);
  const secondsLeft = () => Math.max(0, Math.ceil((endsAt - Date.now()) / SECOND));

  function words(seconds) {
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minute${minutes === 1 ? "" : "s"}`;
    }
    return `${seconds} second${seconds === 1 ? "" : "s"}`;
  }

  // The visible countdown counts seconds in the last minute; screen readers hear it only now and then.
  function announceable(seconds) {
    if (seconds >= 60) return words(seconds);
    if (seconds > 20) return words(Math.ceil(seconds / 20) * 20);
    return seconds > 0 && seconds % 10 === 0 ? words(seconds) : lastAnnounced;
  }

  function render() {
    const seconds = secondsLeft();
    for (const node of dialog.querySelectorAll("[data-countdown]")) node.textContent = words(seconds);
    const spoken = announceable(seconds);
    for (const node of dialog.querySelectorAll("[data-countdown-words]")) node.textContent = words(seconds);
    if (spoken !== lastAnnounced && dialog.open) {
      lastAnnounced = spoken;
      live.textContent = `We will sign you out in ${spoken}.`;
    }
  }

  function schedule() {
    window.clearTimeout(timer);
    const wait = endsAt - lead() * SECOND - Date.now();
    timer = window.setTimeout(check, Math.max(0, wait));
  }

  // Ask the server how long is left: null when it no longer knows this user (signed out elsewhere).
  async function askServer(url, options = {}) {
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
        ...options,
      });
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok || response.redirected || !type.includes("application/json")) return null;
      return await response.json();
    } catch {
      return undefined; // the network failed: keep to the time we know
    }
  }

  function learn(answer) {
    endsAt = Date.now() + answer.seconds_left * SECOND;
    for (const node of dialog.querySelectorAll("[data-when]")) {
      node.hidden = (node.dataset.when === "final") === answer.extendable;
    }
    dialog.querySelector("[data-stay]").textContent = answer.extendable ? "Stay signed in" : "Continue";
  }

  async function check() {
    const answer = await askServer(statusUrl);
    if (answer === null) return signedOut();
    if (answer) learn(answer);
    if (secondsLeft() > lead()) {
      close();
      schedule();
    } else if (secondsLeft() <= 0) {
      timeUp();
    } else {
      open();
    }
  }

  function open() {
    if (!dialog.open) {
      returnFocusTo = document.activeElement;
      lastAnnounced = "";
      render();
      dialog.showModal();
      dialog.querySelector("[data-stay]").focus();
    }
    window.clearInterval(ticker);
    ticker = window.setInterval(tick, SECOND);
    window.clearTimeout(timer);
    // While the warning is open, look again every 15 seconds: another tab may have kept the session going.
    timer = window.setTimeout(check, 15 * SECOND);
  }

  function close() {
    window.clearInterval(ticker);
    if (dialog.open) dialog.close();
    live.textContent = "";
    if (returnFocusTo && document.contains(returnFocusTo)) returnFocusTo.focus();
    returnFocusTo = null;
  }

  function tick() {
    render();
    if (secondsLeft() <= 0) {
      window.clearInterval(ticker);
      check();
    }
  }

  async function stay() {
    if (busy) return;
    busy = true;
    try {
      const answer = await askServer(keepAliveForm.action, { method: "POST", body: new FormData(keepAliveForm) });
      if (answer === null) return signedOut();
      if (answer) {
        learn(answer);
        finalSeen = !answer.extendable;
      }
      close();
      schedule();
    } finally {
      busy = false;
    }
  }

  // The page's own form, if this page keeps typed work and the form posts back to this page.
  function formToKeep() {
    if (!("keepsTypedWork" in dialog.dataset)) return null;
    const here = new URL(window.location.href);
    here.hash = "";
    for (const form of document.querySelectorAll("main form")) {
      if (form.method !== "post") continue;
      const target = new URL(form.action, here);
      target.hash = "";
      if (target.href === here.href) return form;
    }
    return null;
  }

  // The server no longer knows this user (signed out in another tab): show the sign-in page.
  function signedOut() {
    window.clearInterval(ticker);
    window.clearTimeout(timer);
    window.location.assign(window.location.href);
  }

  function timeUp() {
    window.clearInterval(ticker);
    window.clearTimeout(timer);
    const form = formToKeep();
    if (!form) {
      window.location.assign(window.location.href);
      return;
    }
    for (const input of form.querySelectorAll("input[type=file]")) input.value = "";
    const marker = document.createElement("input");
    marker.type = "hidden";
    marker.name = "_keep_typed_work";
    marker.value = "1";
    form.append(marker);
    HTMLFormElement.prototype.submit.call(form);
  }

  keepAliveForm.addEventListener("submit", (event) => {
    event.preventDefault();
    stay();
  });

  dialog.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      stay();
    } else if (event.key === "Tab") {
      // Keep focus inside the warning (the page behind is inert as well).
      const buttons = [...dialog.querySelectorAll("button")];
      const first = buttons[0];
      const last = buttons[buttons.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  });

  // A browser may close a modal dialog on Escape by itself: that too means "stay signed in".
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });

  schedule();
}
