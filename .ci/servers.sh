# Registry servers for the publish tests (sourced by .ci/run): a real MLflow tracking
# server and a real `phoenix serve`, each in its own venv with a SQLite store, on
# 127.0.0.1. `start_servers` installs and starts both in the background while the rest
# of the set-up runs; `wait_servers` waits until both are healthy and exports their URLs
# and Pythons for tests/integration/test_registries.py; `stop_servers` (an EXIT trap)
# stops them, whole process groups, and says if anything had to be killed.

SERVERS_DIR="$(mktemp -d)"
SERVER_JOBS=()

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_servers() {
  MLFLOW_PORT="$(free_port)"
  PHOENIX_HTTP_PORT="$(free_port)"
  PHOENIX_GRPC="$(free_port)"
  (
    python3 -m venv "$SERVERS_DIR/mlflow-venv"
    "$SERVERS_DIR/mlflow-venv/bin/pip" install --quiet 'mlflow==3.17.2'
    # One worker and no job runner: 18 s and ~600 MB instead of 41 s and 2.6 GB.
    MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false setsid "$SERVERS_DIR/mlflow-venv/bin/mlflow" server \
      --host 127.0.0.1 --port "$MLFLOW_PORT" --workers 1 \
      --backend-store-uri "sqlite:///$SERVERS_DIR/mlflow.db" --default-artifact-root "$SERVERS_DIR/mlflow-artifacts" \
      > "$SERVERS_DIR/mlflow.log" 2>&1 &
    echo $! > "$SERVERS_DIR/mlflow.pid"
  ) > "$SERVERS_DIR/mlflow-install.log" 2>&1 &
  SERVER_JOBS+=("$!")
  (
    python3 -m venv "$SERVERS_DIR/phoenix-venv"
    "$SERVERS_DIR/phoenix-venv/bin/pip" install --quiet 'arize-phoenix==20.26.1' 'arize-phoenix-client==3.5.0'
    PHOENIX_WORKING_DIR="$SERVERS_DIR/phoenix" PHOENIX_HOST=127.0.0.1 PHOENIX_PORT="$PHOENIX_HTTP_PORT" \
      PHOENIX_GRPC_PORT="$PHOENIX_GRPC" PHOENIX_TELEMETRY_ENABLED=false \
      setsid "$SERVERS_DIR/phoenix-venv/bin/phoenix" serve > "$SERVERS_DIR/phoenix.log" 2>&1 &
    echo $! > "$SERVERS_DIR/phoenix.pid"
  ) > "$SERVERS_DIR/phoenix-install.log" 2>&1 &
  SERVER_JOBS+=("$!")
}

wait_healthy() {  # NAME URL
  for _ in $(seq 1 300); do
    if python3 -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$2" 2> /dev/null; then
      echo "$1 is up at ${2%/*}"
      return 0
    fi
    sleep 1
  done
  echo "$1 did not start within 300 s:"
  tail -n 40 "$SERVERS_DIR/$1-install.log" "$SERVERS_DIR/$1.log" 2> /dev/null
  return 1
}

wait_servers() {
  local job
  for job in "${SERVER_JOBS[@]}"; do
    wait "$job" || { tail -n 40 "$SERVERS_DIR"/*-install.log; return 1; }
  done
  wait_healthy mlflow "http://127.0.0.1:$MLFLOW_PORT/health"
  wait_healthy phoenix "http://127.0.0.1:$PHOENIX_HTTP_PORT/healthz"
  export PROMPTCTL_TEST_MLFLOW_URL="http://127.0.0.1:$MLFLOW_PORT"
  export PROMPTCTL_TEST_MLFLOW_PYTHON="$SERVERS_DIR/mlflow-venv/bin/python"
  export PROMPTCTL_TEST_PHOENIX_URL="http://127.0.0.1:$PHOENIX_HTTP_PORT"
  export PROMPTCTL_TEST_PHOENIX_PYTHON="$SERVERS_DIR/phoenix-venv/bin/python"
}

stop_servers() {
  local job pidfile pid
  for job in "${SERVER_JOBS[@]}"; do kill "$job" 2> /dev/null || true; done
  for pidfile in "$SERVERS_DIR"/*.pid; do
    [ -e "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    kill -TERM -- "-$pid" 2> /dev/null || true
    for _ in $(seq 1 30); do
      kill -0 -- "-$pid" 2> /dev/null || break
      sleep 1
    done
    if kill -0 -- "-$pid" 2> /dev/null; then
      kill -KILL -- "-$pid" 2> /dev/null || true
      echo "the server in $pidfile had to be killed"
    fi
  done
  rm -rf "$SERVERS_DIR"
}
