# A Docker engine for the docker-task tests (sourced by tests/run): installs docker.io and
# busybox-static when missing, starts a private dockerd (vfs storage, no iptables, no bridge: it runs
# inside containers and CI machines without privileges for more) on a socket of its own under
# /tmp/pipeline-docker, and imports the tiny image `pipeline-test/busybox:1` from busybox's root file
# system (no registry is reachable here). Exports PIPELINE_TEST_DOCKER_HOST and the image name.
# A PIPELINE_TEST_DOCKER_HOST set already is used as it is (any engine with that image will do).
if [ -z "${PIPELINE_TEST_DOCKER_HOST:-}" ]; then
  docker_dir=/tmp/pipeline-docker
  need=()
  type -P dockerd >/dev/null || need+=(docker.io)
  [ -x /bin/busybox ] || need+=(busybox-static)
  if [ ${#need[@]} -gt 0 ]; then
    echo "== installing ${need[*]}"
    apt-get update -qq && NEEDRESTART_SUSPEND=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  export PIPELINE_TEST_DOCKER_HOST="unix://$docker_dir/docker.sock"
  if ! DOCKER_HOST="$PIPELINE_TEST_DOCKER_HOST" docker info >/dev/null 2>&1; then
    echo "== starting dockerd on $PIPELINE_TEST_DOCKER_HOST"
    mkdir -p "$docker_dir"
    # setsid: the daemon outlives this script and is not in its process group (Ctrl-C of the tests).
    setsid dockerd --storage-driver=vfs --iptables=false --ip6tables=false --bridge=none \
      --data-root "$docker_dir/data" --exec-root "$docker_dir/exec" --pidfile "$docker_dir/dockerd.pid" \
      -H "$PIPELINE_TEST_DOCKER_HOST" >"$docker_dir/dockerd.log" 2>&1 < /dev/null &
    for _ in $(seq 1 120); do DOCKER_HOST="$PIPELINE_TEST_DOCKER_HOST" docker info >/dev/null 2>&1 && break; sleep 0.5; done
    DOCKER_HOST="$PIPELINE_TEST_DOCKER_HOST" docker info >/dev/null 2>&1 || { echo "dockerd did not start:"; tail -n 20 "$docker_dir/dockerd.log"; exit 1; }
  fi
  export PIPELINE_TEST_DOCKER_IMAGE=pipeline-test/busybox:1
  if ! DOCKER_HOST="$PIPELINE_TEST_DOCKER_HOST" docker image inspect "$PIPELINE_TEST_DOCKER_IMAGE" >/dev/null 2>&1; then
    echo "== importing $PIPELINE_TEST_DOCKER_IMAGE from busybox"
    rootfs=$(mktemp -d) && chmod 755 "$rootfs"   # the image's / must be readable by users other than root
    mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc"
    cp /bin/busybox "$rootfs/bin/"
    for applet in $("$rootfs/bin/busybox" --list); do [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"; done
    echo 'root:x:0:0:root:/root:/bin/sh' > "$rootfs/etc/passwd"
    echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >> "$rootfs/etc/passwd"
    echo 'root:x:0:' > "$rootfs/etc/group"
    tar -C "$rootfs" -c . | DOCKER_HOST="$PIPELINE_TEST_DOCKER_HOST" docker import -c 'ENV PATH=/bin' - "$PIPELINE_TEST_DOCKER_IMAGE" >/dev/null
    rm -rf "$rootfs"
  fi
fi
