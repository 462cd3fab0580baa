#!/usr/bin/env bash
# The containers' HEALTHCHECK: GET http://127.0.0.1:PORT/PATH, healthy on a 2xx answer.
#   provisioner-healthcheck [PORT] [PATH]      (defaults 8080 and /health/live)
# The aspnet runtime image has no curl or wget, and a probe written in .NET would start a whole runtime every
# few seconds; bash's /dev/tcp speaks enough HTTP/1.0 for one request, with nothing installed.
set -uo pipefail
port=${1:-8080}
path=${2:-/health/live}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
# The status line, e.g. "HTTP/1.1 200 OK"; a process that accepts but never answers is unhealthy too.
IFS=' ' read -r -t 3 _ status _ <&3 || exit 1
exec 3<&-
[[ $status == 2?? ]]
