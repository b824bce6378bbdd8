#!/bin/sh
# Entrypoint of the nginx stand-in (see nginx.Containerfile): the part of the official image's entrypoint
# that docker/compose.yaml uses, before it starts nginx. Source each executable /docker-entrypoint.d/*.envsh
# and run each executable *.sh there, in order; then write each /etc/nginx/templates/NAME.template to
# /etc/nginx/conf.d/NAME with envsubst, replacing the environment variables whose names match
# NGINX_ENVSUBST_FILTER (every variable when it is unset).
set -eu

if [ "${1:-}" = nginx ]; then
    for script in $(find /docker-entrypoint.d/ -follow -type f 2>/dev/null | sort -V); do
        [ -x "$script" ] || { echo "$0: ignoring $script, not executable"; continue; }
        case "$script" in
            *.envsh) echo "$0: sourcing $script"; . "$script" ;;
            *.sh) echo "$0: running $script"; "$script" ;;
        esac
    done
    filter="${NGINX_ENVSUBST_FILTER:-}"
    # envsubst takes the names to replace as '${NAME} ${OTHER} ...'
    names="$(printf '${%s} ' $(awk "END { for (name in ENVIRON) { print (name ~ /${filter}/) ? name : \"\" } }" </dev/null))"
    for template in $(find /etc/nginx/templates -follow -type f -name '*.template' 2>/dev/null); do
        output="/etc/nginx/conf.d/$(basename "$template" .template)"
        echo "$0: envsubst on $template to $output"
        envsubst "$names" <"$template" >"$output"
    done
fi

exec "$@"
