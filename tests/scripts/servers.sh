# Throwaway PostgreSQL and Redis for `make test` and `make bench` (sourced, not run).
# Installs missing system packages when run as root.

as_root() { [ "$(id -u)" = 0 ]; }

ensure_packages() {
  local missing=()
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  local extra
  for extra in "$@"; do
    command -v "${extra%%:*}" >/dev/null || missing+=("${extra##*:}")
  done
  if ((${#missing[@]})); then
    if as_root; then
      echo "== installing system packages: ${missing[*]}"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
      pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    else
      echo "Missing system packages: ${missing[*]}. Install them" \
        "(sudo apt-get install ${missing[*]}) or run as root." >&2
      exit 1
    fi
  fi
}

free_port() {
  .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg() { if as_root; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_servers() {
  pg_dir=$(mktemp -d /tmp/pp-pg.XXXXXX)
  redis_dir=$(mktemp -d /tmp/pp-redis.XXXXXX)
  pg_port=$(free_port)
  redis_port=$(free_port)
  trap stop_servers EXIT
  as_root && chown postgres:postgres "$pg_dir"
  echo "== throwaway PostgreSQL on port $pg_port, Redis on port $redis_port"
  pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust --no-sync -E UTF8 \
    --locale=C.UTF-8 >/dev/null
  pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --save '' \
    --appendonly no --dir "$redis_dir" --pidfile "$redis_dir/redis.pid" \
    --logfile "$redis_dir/redis.log"
  for _ in $(seq 50); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  PG_URL="postgres://postgres@127.0.0.1:$pg_port"
  REDIS_URL="redis://127.0.0.1:$redis_port"
}

stop_servers() {
  pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  [ -f "$redis_dir/redis.pid" ] && kill "$(cat "$redis_dir/redis.pid")" 2>/dev/null || true
  rm -rf "$pg_dir" "$redis_dir"
}
