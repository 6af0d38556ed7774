// Progressive enhancement for the export's progress page: without JavaScript, "Check progress again" reloads it.
// With it, the progress region is refreshed in place every two seconds (announced politely), until generation ends.
const region = document.getElementById("sar-progress");

async function refresh() {
  try {
    const response = await fetch(window.location.href, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById("sar-progress");
    if (!fresh) return;
    region.replaceChildren(...fresh.childNodes);
    region.dataset.running = fresh.dataset.running;
  } finally {
    if (region.dataset.running === "true") window.setTimeout(refresh, 2000);
  }
}

if (region && region.dataset.running === "true") window.setTimeout(refresh, 2000);
