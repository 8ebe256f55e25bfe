#!/usr/bin/env bash
# Set up (or upgrade) the Batenbrock station on Raspberry Pi OS Bookworm:
#
#   sudo bash scripts/install-pi.sh             # everything on this Pi
#   sudo bash scripts/install-pi.sh --dry-run   # only say what it would do
#
# Options:
#   --dry-run              print every step, change nothing
#   --services "LIST"      services to install and enable (default: "garden bridge booth ui console");
#                          a booth on a second Pi: --services booth --no-broker
#   --no-broker            do not set up Mosquitto here (the services use another Pi's broker)
#   --node NODE            add a broker account for an ESP32 sensor node (may be repeated)
#
# Running it again changes nothing that is already right: existing passwords, an edited
# /etc/kiosk/station.toml and the data in /var/lib/kiosk are kept. docs/deploy.md explains
# every step. Environment overrides, for tests and unusual set-ups:
#   KIOSK_PREFIX=DIR   install into DIR as if it were / (no apt, users, SPI or systemctl then)
#   KIOSK_SKIP="..."   skip steps: apt user venv spi systemd
#   KIOSK_SRC=DIR      the checkout to install (default: the one this script is in)
set -euo pipefail
umask 022

SRC=${KIOSK_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
ROOT=${KIOSK_PREFIX:-}
ROOT=${ROOT%/}
SKIP=" ${KIOSK_SKIP:-} "
if [ -n "$ROOT" ]; then
    # A fake root cannot get packages, users or running services.
    SKIP+=" apt user spi systemd "
fi

OPT=/opt/kiosk
VENV=$OPT/venv
DATA=/var/lib/kiosk
ETC=/etc/kiosk
CREDENTIALS=$ETC/credentials
MOSQUITTO=/etc/mosquitto
UNITS=/etc/systemd/system
ALL_SERVICES="garden bridge booth ui console"
APT_PACKAGES=(python3-venv python3-dev build-essential swig mosquitto mosquitto-clients openssl
              espeak-ng fonts-noto-core fonts-noto-ui-core libgl1 libegl1 libgles2 libmtdev1)
USER_GROUPS=(dialout spi gpio video render input audio)

DRY=0
SERVICES=$ALL_SERVICES
BROKER=1
NEW_NODES=()
CHANGED_UNITS=0
CHANGED_CODE=0
CHANGED_BROKER_CONF=0
CHANGED_BROKER_AUTH=0
CHANGES=0
FAILED=()

usage() { sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case "$1" in
        --dry-run) DRY=1 ;;
        --services) SERVICES=${2:?--services needs a list, e.g. \"garden bridge\"}; shift ;;
        --no-broker) BROKER=0 ;;
        --node) NEW_NODES+=("${2:?--node needs a node id, e.g. bed-2}"); shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install-pi.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

for service in $SERVICES; do
    case " $ALL_SERVICES " in
        *" $service "*) ;;
        *) echo "install-pi.sh: unknown service '$service'; choose from: $ALL_SERVICES" >&2; exit 2 ;;
    esac
done
if [ ${#NEW_NODES[@]} -gt 0 ]; then
    for node in "${NEW_NODES[@]}"; do
        if ! [[ $node =~ ^[a-z0-9][a-z0-9-]{0,31}$ ]]; then
            echo "install-pi.sh: node id '$node' must be 1-32 characters of a-z, 0-9 and '-'" >&2
            exit 2
        fi
    done
fi

# --- helpers ------------------------------------------------------------------------------

step() { echo "==> $*"; }
note() { echo "    $*"; }
skipped() { [[ $SKIP == *" $1 "* ]]; }
wants() { [[ " $SERVICES " == *" $1 "* ]]; }
exists() { getent "$1" "$2" >/dev/null 2>&1; }

# Run a command, or only show it in a dry run.
run() {
    CHANGES=$((CHANGES + 1))
    if [ "$DRY" = 1 ]; then
        note "would run: $*"
    else
        note "+ $*"
        "$@"
    fi
}

# Set owner and mode of a path below the root; owners that do not exist (in a fake root
# before the user is made) are left alone.
own() {
    local owner=$1 mode=$2 path=$ROOT$3 user group
    [ "$DRY" = 1 ] && return 0
    [ -e "$path" ] || return 0
    chmod "$mode" "$path"
    user=${owner%%:*}
    group=${owner#*:}
    if exists passwd "$user" && exists group "$group"; then
        chown "$owner" "$path"
    fi
}

# Make a directory (below the root) with owner and mode.
directory() {
    local path=$1 owner=$2 mode=$3
    if [ -d "$ROOT$path" ]; then
        own "$owner" "$mode" "$path"
        return 0
    fi
    CHANGES=$((CHANGES + 1))
    if [ "$DRY" = 1 ]; then
        note "would create $path ($owner, $mode)"
        return 0
    fi
    note "create $path"
    mkdir -p "$ROOT$path"
    own "$owner" "$mode" "$path"
}

# Put the content of file $1 at $2 (below the root) unless it is already there.
# Returns 0 when it wrote (or would write), 1 when the file was already right.
place() {
    local source=$1 target=$2 owner=$3 mode=$4
    if [ -f "$ROOT$target" ] && cmp -s "$source" "$ROOT$target"; then
        own "$owner" "$mode" "$target"
        return 1
    fi
    CHANGES=$((CHANGES + 1))
    if [ "$DRY" = 1 ]; then
        note "would write $target"
        return 0
    fi
    note "write $target"
    mkdir -p "$(dirname "$ROOT$target")"
    cp "$source" "$ROOT$target.new"
    own "$owner" "$mode" "$target.new"
    mv -f "$ROOT$target.new" "$ROOT$target"
    return 0
}

# Like place, with the content given as text.
place_text() {
    local text=$1 target=$2 owner=$3 mode=$4 tmp status=0
    tmp=$(mktemp)
    printf '%s' "$text" >"$tmp"
    place "$tmp" "$target" "$owner" "$mode" || status=$?
    rm -f "$tmp"
    return "$status"
}

# A value from station.toml (the installed one, else the default in the checkout).
station_value() {
    local section=$1 key=$2 default=$3 file=$ROOT$ETC/station.toml
    [ -f "$file" ] || file=$SRC/config/station.toml
    python3 - "$file" "$section" "$key" "$default" <<'PY'
import sys, tomllib
path, section, key, default = sys.argv[1:]
with open(path, "rb") as f:
    print(tomllib.load(f).get(section, {}).get(key, default))
PY
}

new_password() { python3 -c 'import secrets; print(secrets.token_urlsafe(24))'; }

# The value of KEY in an env file (empty when absent).
env_value() {
    local file=$1 key=$2
    [ -f "$file" ] || return 0
    sed -n "s/^$key=//p" "$file" | head -n 1
}

# --- the steps ----------------------------------------------------------------------------

check_system() {
    if [ "$DRY" = 0 ] && [ -z "$ROOT" ] && [ "$(id -u)" -ne 0 ]; then
        echo "install-pi.sh: run it as root: sudo bash scripts/install-pi.sh (or try --dry-run)" >&2
        exit 1
    fi
    if [ ! -f "$SRC/pyproject.toml" ] || [ ! -d "$SRC/systemd" ]; then
        echo "install-pi.sh: $SRC is not a checkout of the station (no pyproject.toml / systemd/)" >&2
        exit 1
    fi
    [ "$DRY" = 1 ] && step "dry run: nothing is changed"
    [ -n "$ROOT" ] && step "installing into $ROOT (a fake root: no packages, users, SPI or systemctl)"
    return 0
}

install_packages() {
    step "system packages"
    if skipped apt; then note "skipped"; return 0; fi
    local missing=() pkg
    for pkg in "${APT_PACKAGES[@]}"; do
        if [ "$pkg" = mosquitto ] || [ "$pkg" = mosquitto-clients ]; then
            [ "$BROKER" = 1 ] || continue
        fi
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    # Raspberry Pi OS has the C library under lgpio; plain Debian builds it from the sdist.
    if apt-cache show liblgpio-dev >/dev/null 2>&1 \
            && ! dpkg-query -W -f='${Status}' liblgpio-dev 2>/dev/null | grep -q "ok installed"; then
        missing+=(liblgpio-dev)
    fi
    if [ ${#missing[@]} -eq 0 ]; then note "all installed"; return 0; fi
    run apt-get update -qq
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

make_user() {
    step "system user kiosk"
    if skipped user; then note "skipped"; return 0; fi
    if exists passwd kiosk; then
        note "exists"
    else
        run useradd --system --user-group --home-dir "$DATA" --no-create-home \
            --shell /usr/sbin/nologin --comment "Batenbrock station" kiosk
    fi
    local group add=()
    for group in "${USER_GROUPS[@]}"; do
        exists group "$group" || continue
        if ! id -nG kiosk 2>/dev/null | tr ' ' '\n' | grep -qx "$group"; then
            add+=("$group")
        fi
    done
    if [ ${#add[@]} -gt 0 ]; then
        run usermod -a -G "$(IFS=,; echo "${add[*]}")" kiosk
    else
        note "groups are right"
    fi
}

make_folders() {
    step "folders"
    directory "$OPT" root:root 0755
    directory "$DATA" kiosk:kiosk 0750
    directory "$ETC" root:kiosk 0750
    directory "$CREDENTIALS" root:kiosk 0750
}

copy_source() {
    step "station software in $OPT/src"
    local target=$ROOT$OPT/src staging
    # Not the station's software: version control, environments, caches, and what pip and
    # setuptools leave in a source folder they build from (build/, *.egg-info, dist/) —
    # pip builds in $OPT/src itself, so these must not count as a change on the next run.
    local skip=(.git .venv node_modules __pycache__ '*.pyc' .pytest_cache .hypothesis '*.egg-info' build dist)
    if [ "$(cd "$SRC" && pwd -P)" = "$(cd "$target" 2>/dev/null && pwd -P)" ]; then
        note "installing from $OPT/src itself"
        return 0
    fi
    if [ -d "$target" ] && diff -rq "${skip[@]/#/-x}" "$SRC" "$target" >/dev/null 2>&1; then
        note "unchanged"
        return 0
    fi
    CHANGES=$((CHANGES + 1))
    CHANGED_CODE=1
    if [ "$DRY" = 1 ]; then
        note "would copy $SRC to $OPT/src (without .git, .venv and caches)"
        return 0
    fi
    staging=$target.new
    rm -rf "$staging"
    mkdir -p "$staging"
    tar -C "$SRC" "${skip[@]/#/--exclude=}" -cf - . | tar -C "$staging" -xf -
    rm -rf "$target"
    mv "$staging" "$target"
    note "copied $SRC"
}

make_venv() {
    step "Python environment $VENV"
    if skipped venv; then note "skipped"; return 0; fi
    local src=$ROOT$OPT/src stamp
    [ -d "$src" ] || src=$SRC
    stamp=$(cd "$src" && find pyproject.toml kiosk firmware -type f -not -name '*.pyc' -print0 \
                | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
    if [ -x "$ROOT$VENV/bin/kiosk" ] && [ "$(cat "$ROOT$VENV/.installed" 2>/dev/null)" = "$stamp" ]; then
        note "up to date"
        return 0
    fi
    [ -x "$ROOT$VENV/bin/python" ] || run python3 -m venv "$ROOT$VENV"
    run "$ROOT$VENV/bin/python" -m pip install -q --upgrade pip
    run "$ROOT$VENV/bin/python" -m pip install -q --upgrade "$src"
    # The pi extra (spidev, rpi-lgpio, mfrc522). mfrc522's metadata asks for the original
    # RPi.GPIO, which clashes with rpi-lgpio (both provide the RPi.GPIO module) and cannot
    # reach the pins of a Pi 5; so mfrc522 comes without its dependencies.
    local requirement others=() frozen=()
    while IFS= read -r requirement; do
        case "$requirement" in
            mfrc522*) frozen+=("$requirement") ;;
            *) others+=("$requirement") ;;
        esac
    done < <(python3 -c 'import sys, tomllib
for r in tomllib.load(open(sys.argv[1], "rb"))["project"]["optional-dependencies"]["pi"]: print(r)' \
             "$src/pyproject.toml")
    [ ${#others[@]} -eq 0 ] || run "$ROOT$VENV/bin/python" -m pip install -q --upgrade "${others[@]}"
    [ ${#frozen[@]} -eq 0 ] || run "$ROOT$VENV/bin/python" -m pip install -q --no-deps "${frozen[@]}"
    if [ "$DRY" = 0 ]; then
        echo "$stamp" >"$ROOT$VENV/.installed"
    fi
    CHANGED_CODE=1
}

install_config() {
    step "configuration $ETC/station.toml"
    if [ -f "$ROOT$ETC/station.toml" ]; then
        own root:kiosk 0640 "$ETC/station.toml"
        note "kept (yours to edit; the default is $SRC/config/station.toml)"
        return 0
    fi
    place "$SRC/config/station.toml" "$ETC/station.toml" root:kiosk 0640 || true
}

# The offers live in the data folder: the staff console may write only there
# (ProtectSystem=strict) and replaces the file atomically. $ETC/offers.toml is a link to it,
# so a hand edit there changes the same file (docs/console.md). An older install's
# $ETC/offers.toml moves there once; the shipped config/offers.toml is the first seed.
install_offers() {
    local name live=$DATA/offers.toml
    name=$(station_value ui offers_file offers.toml)
    step "offers $live (the staff console edits them; $ETC/$name points there)"
    if [[ $name == /* ]]; then
        note "ui.offers_file is $name: left as it is (the console can change it only under $DATA)"
        return 0
    fi
    if [ -L "$ROOT$ETC/$name" ]; then
        own kiosk:kiosk 0640 "$live"
        note "kept"
        return 0
    fi
    if [ ! -e "$ROOT$live" ]; then
        if [ -f "$ROOT$ETC/$name" ]; then
            place "$ROOT$ETC/$name" "$live" kiosk:kiosk 0640 || true
        else
            place "$SRC/config/$name" "$live" kiosk:kiosk 0640 || true
        fi
    elif [ -f "$ROOT$ETC/$name" ]; then
        run mv -f "$ROOT$ETC/$name" "$ROOT$ETC/$name.before-console"
    fi
    run ln -sfn "$live" "$ROOT$ETC/$name"
}

install_wrapper() {
    step "command /usr/local/bin/kiosk (runs as user kiosk with $ETC/station.toml, broker account admin)"
    place_text "#!/bin/sh
# Written by scripts/install-pi.sh: the station's kiosk command, run as the user kiosk so
# that files it makes in $DATA stay readable for the services. It logs in to the broker
# (kiosk doctor) with the account admin from $CREDENTIALS/admin.env, never with a
# service's: the broker ends a service's connection when its account logs in again.
export KIOSK_CONFIG=\"\${KIOSK_CONFIG:-$ETC/station.toml}\"
if [ \"\$(id -un)\" != kiosk ]; then
    if [ \"\$(id -u)\" = 0 ]; then
        exec runuser -u kiosk -- /usr/bin/env KIOSK_CONFIG=\"\$KIOSK_CONFIG\" /usr/local/bin/kiosk \"\$@\"
    fi
    exec sudo -u kiosk /usr/bin/env KIOSK_CONFIG=\"\$KIOSK_CONFIG\" /usr/local/bin/kiosk \"\$@\"
fi
credentials=$CREDENTIALS/admin.env
if [ -r \"\$credentials\" ]; then
    KIOSK_MQTT_USERNAME=\$(sed -n 's/^KIOSK_MQTT_USERNAME=//p' \"\$credentials\" | head -n 1)
    KIOSK_MQTT_PASSWORD=\$(sed -n 's/^KIOSK_MQTT_PASSWORD=//p' \"\$credentials\" | head -n 1)
    export KIOSK_MQTT_USERNAME KIOSK_MQTT_PASSWORD
fi
exec $VENV/bin/kiosk \"\$@\"
" /usr/local/bin/kiosk root:root 0755 || true
}

enable_spi() {
    wants booth || return 0
    step "SPI for the RFID reader"
    if skipped spi; then note "skipped"; return 0; fi
    if ! command -v raspi-config >/dev/null; then
        note "raspi-config not found (not Raspberry Pi OS?): enable SPI by hand (dtparam=spi=on)"
        return 0
    fi
    if [ "$(raspi-config nonint get_spi)" = 0 ]; then
        note "already on"
    else
        run raspi-config nonint do_spi 0
        note "reboot once so /dev/spidev0.0 appears"
    fi
}

load_serial_modules() {
    wants bridge || return 0
    step "USB serial drivers at boot (so kiosk-bridge may open a port plugged in later)"
    place_text "# Written by scripts/install-pi.sh: kiosk-bridge.service allows the device classes
# ttyACM (Pico) and ttyUSB (USB-serial adapters); they must be known when it starts.
cdc_acm
usbserial
" /etc/modules-load.d/kiosk.conf root:root 0644 || true
}

# One account per service (and per ESP32 node): a generated password, kept in an env file
# only root and kiosk can read, and its hash in Mosquitto's password file.
account() {
    local name=$1 envfile=$2 password passwd=$ROOT$MOSQUITTO/kiosk/passwd
    password=$(env_value "$ROOT$envfile" KIOSK_MQTT_PASSWORD)
    if [ -z "$password" ]; then
        if [ "$DRY" = 1 ]; then
            note "would create broker account $name (password in $envfile)"
            return 0
        fi
        password=$(new_password)
        place_text "# Broker account of $name, made by scripts/install-pi.sh; keep it secret.
KIOSK_MQTT_USERNAME=$name
KIOSK_MQTT_PASSWORD=$password
" "$envfile" root:kiosk 0640 || true
    else
        own root:kiosk 0640 "$envfile"
    fi
    [ "$BROKER" = 1 ] || return 0
    if [ -f "$passwd" ] && grep -q "^$name:" "$passwd"; then
        return 0
    fi
    CHANGES=$((CHANGES + 1))
    if [ "$DRY" = 1 ]; then
        note "would add $name to $MOSQUITTO/kiosk/passwd"
        return 0
    fi
    note "broker account $name"
    if [ -f "$passwd" ]; then
        mosquitto_passwd -b "$passwd" "$name" "$password"
    else
        mosquitto_passwd -c -b "$passwd" "$name" "$password"
    fi
    CHANGED_BROKER_AUTH=1
}

service_accounts() {
    step "broker accounts in $CREDENTIALS"
    local service
    # Each service's own, and admin for the kiosk command on this Pi (kiosk doctor).
    for service in $SERVICES admin; do
        if [ "$BROKER" = 0 ] && [ -f "$ROOT$CREDENTIALS/$service.env" ]; then
            own root:kiosk 0640 "$CREDENTIALS/$service.env"
            continue
        fi
        if [ "$BROKER" = 0 ]; then
            # The broker is on another Pi: its installer made this account's password there.
            if [ "$DRY" = 1 ]; then
                note "would write $CREDENTIALS/$service.env for you to fill in"
                continue
            fi
            local then="sudo systemctl restart kiosk-$service"
            [ "$service" != admin ] || then="kiosk doctor"
            place_text "# The broker is on another Pi: copy the password of account $service from that
# Pi's $CREDENTIALS/$service.env here, then: $then
KIOSK_MQTT_USERNAME=$service
KIOSK_MQTT_PASSWORD=
" "$CREDENTIALS/$service.env" root:kiosk 0640 || true
            note "fill in KIOSK_MQTT_PASSWORD in $CREDENTIALS/$service.env"
            continue
        fi
        account "$service" "$CREDENTIALS/$service.env"
    done
    if [ "$BROKER" = 1 ]; then
        # The broker's accounts exist for every service, wherever it runs (a booth may
        # sit on a second Pi), and for a read-only Home Assistant.
        for service in $ALL_SERVICES homeassistant; do
            wants "$service" && continue
            account "$service" "$CREDENTIALS/$service.env"
        done
    fi
}

node_accounts() {
    [ "$BROKER" = 1 ] || return 0
    local nodes_file=$ROOT$ETC/nodes node
    if [ ${#NEW_NODES[@]} -gt 0 ]; then
        step "ESP32 sensor node accounts"
        for node in "${NEW_NODES[@]}"; do
            if [ -f "$nodes_file" ] && grep -qx "$node" "$nodes_file"; then
                note "node $node has an account"
            elif [ "$DRY" = 1 ]; then
                note "would add node $node to $ETC/nodes"
            else
                echo "$node" >>"$nodes_file"
                own root:root 0644 "$ETC/nodes"
            fi
        done
    fi
    [ -f "$nodes_file" ] || return 0
    while IFS= read -r node; do
        [ -n "$node" ] || continue
        account "node-$node" "$CREDENTIALS/node-$node.env"
    done <"$nodes_file"
}

configure_broker() {
    [ "$BROKER" = 1 ] || return 0
    step "Mosquitto: local listener, accounts and ACL"
    directory "$MOSQUITTO/kiosk" root:mosquitto 0750
    directory "$MOSQUITTO/conf.d" root:root 0755
    if place "$SRC/config/mosquitto/kiosk.conf" "$MOSQUITTO/conf.d/kiosk.conf" root:root 0644; then
        CHANGED_BROKER_CONF=1
    fi
    service_accounts
    node_accounts
    own mosquitto:mosquitto 0600 "$MOSQUITTO/kiosk/passwd"

    local base station acl node nodes_file=$ROOT$ETC/nodes
    station=$(station_value station id batenbrock-1)
    base="$(station_value mqtt topic_prefix batenbrock)/$station"
    acl=$(sed -e "s#@BASE@#$base#g" -e "s#@STATION@#$station#g" "$SRC/config/mosquitto/kiosk.acl.in")
    acl+=$'\n'
    if [ -f "$nodes_file" ] || [ ${#NEW_NODES[@]} -gt 0 ]; then
        acl+=$'\n# ESP32 sensor nodes (scripts/install-pi.sh --node NODE): each writes only its own readings.\n'
        while IFS= read -r node; do
            [ -n "$node" ] || continue
            acl+="user node-$node"$'\n'
            acl+="topic write $base/garden/$node/reading"$'\n'
            acl+="topic write $base/garden/$node/event"$'\n'
        done < <(cat "$nodes_file" 2>/dev/null; [ "$DRY" = 1 ] && printf '%s\n' "${NEW_NODES[@]}")
    fi
    if place_text "$acl" "$MOSQUITTO/kiosk/kiosk.acl" mosquitto:mosquitto 0640; then
        CHANGED_BROKER_AUTH=1
    fi
    if [ ${#NEW_NODES[@]} -gt 0 ] && [ "$DRY" = 0 ]; then
        for node in "${NEW_NODES[@]}"; do
            note "node $node: MQTT_USER = \"node-$node\", MQTT_PASSWORD = \"$(env_value \
                "$ROOT$CREDENTIALS/node-$node.env" KIOSK_MQTT_PASSWORD)\" in its config.py"
        done
    fi
}

# The staff console's TLS certificate: when [console] names files that are not there yet,
# a self-signed certificate for this Pi's name (NAME and NAME.local, and its addresses),
# valid for ten years. docs/console.md tells how to trust it on the office PC. A
# certificate of your own (at the same paths) is kept.
console_certificate() {
    wants console || return 0
    step "staff console certificate"
    local cert key name addresses san address
    cert=$(station_value console tls_cert /etc/kiosk/tls/console.crt)
    key=$(station_value console tls_key /etc/kiosk/tls/console.key)
    if [ -z "$cert" ] && [ -z "$key" ]; then
        note "none: [console] serves plain HTTP on a loopback address"
        return 0
    fi
    if [ -f "$ROOT$cert" ] && [ -f "$ROOT$key" ]; then
        own root:kiosk 0640 "$key"
        note "kept $cert"
        return 0
    fi
    name=${KIOSK_HOSTNAME:-$(hostname)}
    addresses=${KIOSK_ADDRESSES-$(hostname -I 2>/dev/null || true)}
    san="DNS:$name,DNS:$name.local,DNS:localhost,IP:127.0.0.1"
    for address in $addresses; do
        [[ $address == *:* ]] || san+=",IP:$address"
    done
    CHANGES=$((CHANGES + 1))
    if [ "$DRY" = 1 ]; then
        note "would make a self-signed certificate for $name in $cert"
        return 0
    fi
    directory "$(dirname "$cert")" root:kiosk 0750
    directory "$(dirname "$key")" root:kiosk 0750
    openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 3650 -subj "/CN=$name" \
        -addext "subjectAltName=$san" -addext "extendedKeyUsage=serverAuth" \
        -keyout "$ROOT$key" -out "$ROOT$cert" 2>/dev/null
    own root:kiosk 0640 "$key"
    own root:kiosk 0644 "$cert"
    note "made a certificate for $name ($san); trust it on the office PC: docs/console.md"
}

install_units() {
    step "systemd units"
    local unit
    for unit in $SERVICES; do
        if place "$SRC/systemd/kiosk-$unit.service" "$UNITS/kiosk-$unit.service" root:root 0644; then
            CHANGED_UNITS=1
        fi
    done
    for unit in kiosk-backup.service kiosk-backup.timer; do
        if place "$SRC/systemd/$unit" "$UNITS/$unit" root:root 0644; then
            CHANGED_UNITS=1
        fi
    done
}

# `systemctl ACTION UNIT`. A unit that fails (a display or reader not ready yet, a
# configuration error) is reported with the end of its log and remembered; the other
# units are still enabled and started, and the script fails at the very end.
unit_step() {
    local action=$1 unit=$2
    run systemctl "$action" "$unit" && return 0
    [[ " ${FAILED[*]} " == *" $unit "* ]] || FAILED+=("$unit")
    note "!! $unit did not $action; the end of its log (all of it: journalctl -u $unit):"
    journalctl -u "$unit" -n 5 -o cat --no-pager 2>/dev/null | sed 's/^/       /' || true
    return 0
}

start_services() {
    step "start and enable"
    if skipped systemd; then note "skipped"; return 0; fi
    [ "$CHANGED_UNITS" = 0 ] || run systemctl daemon-reload
    if [ "$BROKER" = 1 ]; then
        if [ "$CHANGED_BROKER_CONF" = 1 ]; then
            unit_step enable mosquitto.service
            unit_step restart mosquitto.service
        elif [ "$CHANGED_BROKER_AUTH" = 1 ]; then
            # Mosquitto rereads its password file and ACL on SIGHUP.
            unit_step reload-or-restart mosquitto.service
        fi
    fi
    local unit units=()
    for unit in $SERVICES; do units+=("kiosk-$unit.service"); done
    units+=(kiosk-backup.timer)
    for unit in "${units[@]}"; do
        if ! systemctl is-enabled --quiet "$unit" 2>/dev/null; then
            unit_step enable "$unit"
        fi
        if [ "$CHANGED_CODE" = 1 ] || [ "$CHANGED_UNITS" = 1 ]; then
            unit_step restart "$unit"
        elif ! systemctl is-active --quiet "$unit"; then
            unit_step start "$unit"
        fi
    done
    if [ "$DRY" = 0 ]; then
        note "status: systemctl status 'kiosk-*'   logs: journalctl -u kiosk-garden -f"
    fi
}

check_system
install_packages
make_user
make_folders
copy_source
make_venv
install_config
install_offers
console_certificate
install_wrapper
enable_spi
load_serial_modules
if [ "$BROKER" = 1 ]; then
    configure_broker
else
    step "Mosquitto: not here (--no-broker)"
    service_accounts
fi
install_units
start_services
if [ ${#FAILED[@]} -gt 0 ]; then
    step "done, but ${#FAILED[@]} unit(s) did not start: ${FAILED[*]}"
    note "everything else is installed, enabled and running; fix the cause (kiosk doctor,"
    note "systemctl status ${FAILED[0]}), then run this script again"
    exit 1
elif [ "$DRY" = 1 ]; then
    step "done: $CHANGES change(s) to make (dry run: nothing was changed)"
elif [ "$CHANGES" = 0 ]; then
    step "done: everything was already in place"
else
    step "done: $CHANGES change(s); check the station with: kiosk doctor"
fi
