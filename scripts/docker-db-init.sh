#!/bin/sh
# First start of the `db` container (docker-entrypoint-initdb.d): the two roles of scripts/db-roles.sql and
# a database the owner role owns. Neither role is a superuser; the application's role owns nothing.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v owner_password="$OWNER_DB_PASSWORD" -v app_password="$APP_DB_PASSWORD" <<'SQL'
CREATE ROLE prevent_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE prevent_app LOGIN PASSWORD :'app_password';
CREATE DATABASE prevent OWNER prevent_owner;
\connect prevent
ALTER SCHEMA public OWNER TO prevent_owner;
SQL
