from django.urls import path

from accounts.views import changes, closures, manage, reset, security, session, signin

app_name = "accounts"
urlpatterns = [
    path("sign-in/", signin.sign_in, name="sign_in"),
    path("sign-in/security-code/", signin.second_factor, name="second_factor"),
    path("sign-in/set-up-two-factor/", signin.sign_in_enrol, name="sign_in_enrol"),
    path("sign-out/", signin.sign_out, name="sign_out"),
    path("session/", session.session_status, name="session_status"),
    path("session/keep-alive/", session.keep_alive, name="keep_alive"),
    path("set-password/<uidb64>/<token>/", signin.set_password, name="set_password"),
    path("forgotten-password/", reset.forgotten_password, name="forgotten_password"),
    path("forgotten-password/sent/", reset.reset_sent, name="reset_sent"),
    path("reset-password/<uidb64>/<token>/", reset.reset_password, name="reset_password"),
    path("security/", security.security, name="security"),
    path("security/two-factor/", security.enrol, name="enrol"),
    path("security/backup-codes/", security.backup_codes, name="backup_codes"),
    path("security/password/", security.password_change, name="password_change"),
    path("security/sign-out-everywhere/", security.sign_out_everywhere, name="sign_out_everywhere"),
    path("users/", manage.user_list, name="user_list"),
    path("users/new/", manage.user_create, name="user_create"),
    path("users/<int:pk>/", manage.user_detail, name="user_detail"),
    path("users/<int:pk>/send-link/", manage.user_send_link, name="user_send_link"),
    path("users/<int:pk>/reset-two-factor/", manage.user_reset_mfa, name="user_reset_mfa"),
    path("users/<int:pk>/unlock/", manage.user_unlock, name="user_unlock"),
    path("changes/", changes.change_requests, name="change_requests"),
    path("changes/<int:pk>/", changes.change_request, name="change_request"),
    path("changes/<int:pk>/cancel/", changes.change_request_cancel, name="change_request_cancel"),
    path("organisations/", manage.organisation_list, name="organisation_list"),
    path("organisations/new/", manage.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", manage.organisation_edit, name="organisation_edit"),
    path("closure-days/", closures.closure_days, name="closure_days"),
    path("closure-days/<int:pk>/remove/", closures.closure_day_remove, name="closure_day_remove"),
]
