#!/usr/bin/env bash
# Boots build/spanlab-usb.img in QEMU with OVMF (UEFI), serial on this terminal.
#
#   tools/qemu.sh                      the boot menu, on this terminal (Ctrl-C quits)
#   tools/qemu.sh --cmdline 'LINE'     straight into the kernel with LINE (no menu)
#   tools/qemu.sh --interactive        a person at the keyboard (make run without
#                                      quit=1): r reboots into the menu, and power
#                                      off or Ctrl-C end with status 0
#   options: --mem SIZE (2G)  --usb (disk as xHCI USB storage)  --timeout SECONDS
#            (600 with --cmdline)  --debug (GDB stub, paused)  --display[=UI] (a VGA
#            device; UI gtk/sdl opens a window)  --monitor SOCKET (QEMU monitor on a
#            unix socket)  --image PATH (another disk image)
#   the machine (tools/matrix.sh varies these): --machine TYPE[,PROP=V...] (q35;
#            e.g. pc, q35,hpet=off)  --cpu MODEL[,+FEAT] (max)  --smp N (1)
#            --disk virtio|ahci|nvme|xhci|ehci (virtio; --usb is --disk xhci)
#            --display-size WxH (a VGA device whose EDID prefers WxH, VRAM to fit)
#            --no-ps2 (no i8042 keyboard controller)
#
# Exit status: 0 when the kernel reported success (isa-debug-exit 33), 1 when it
# reported failure (35), 124 on timeout, 2 for anything else (QEMU error, reset,
# power off; with --interactive a power off or Ctrl-C is 0). Every run uses private
# copies (OVMF variables, image) in a temp dir, so runs in parallel never collide.
# TCG unless a probe shows KVM really works.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-$root/build}
case "$build" in /*) ;; *) build=$root/$build ;; esac
image=$build/spanlab-usb.img
ovmf_code=/usr/share/OVMF/OVMF_CODE_4M.fd
ovmf_vars=/usr/share/OVMF/OVMF_VARS_4M.fd

mem=2G cmdline= have_cmdline=0 tmo= debug=0 display= monitor= interactive=0
machine=q35 cpu=max smp=1 disk=virtio display_size= no_ps2=0
die() { echo "qemu.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
    --cmdline) [ $# -ge 2 ] || die "--cmdline needs a value"; cmdline=$2; have_cmdline=1; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --usb) disk=xhci; shift ;;
    --machine) machine=$2; shift 2 ;;
    --cpu) cpu=$2; shift 2 ;;
    --smp) smp=$2; shift 2 ;;
    --disk) disk=$2; shift 2 ;;
    --display-size) display_size=$2; shift 2 ;;
    --no-ps2) no_ps2=1; shift ;;
    --timeout) tmo=$2; shift 2 ;;
    --debug) debug=1; shift ;;
    --interactive) interactive=1; shift ;;
    --display) display=none; shift ;;
    --display=*) display=${1#--display=}; shift ;;
    --monitor) monitor=$2; shift 2 ;;
    --image) image=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (try --help)" ;;
    esac
done
[ -f "$image" ] || die "no disk image $image: run 'make' first"
[ -f "$ovmf_code" ] && [ -f "$ovmf_vars" ] || die "OVMF is missing: run 'make deps' (Debian package ovmf)"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing: run 'make deps'"
if [ -z "$tmo" ] && [ $have_cmdline -eq 1 ] && [ $debug -eq 0 ] && [ $interactive -eq 0 ]; then
    tmo=600
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-qemu.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 143' TERM INT HUP # so that the EXIT trap cleans up when we are killed
cp "$ovmf_vars" "$tmp/vars.fd"

# Prints "kvm" when /dev/kvm exists and really runs a guest, "tcg" otherwise. On
# some hosts KVM opens fine and then fails at the first vCPU reset, or (nested
# virtualization) runs plain instructions but stops with "KVM internal error ...
# emulation failure" at the firmware's first x87 instruction. The probe is a tiny
# BIOS that runs fninit and SSE (what OVMF does first) and then writes 0x10 to
# isa-debug-exit. The answer is kept per host boot in $build/accel-probe.
probe_accel() {
    [ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo tcg; return; }
    local key cache=$build/accel-probe
    key="$(cat /proc/sys/kernel/random/boot_id 2>/dev/null) $(qemu-system-x86_64 --version | head -n 1)"
    if [ -f "$cache" ] && [ "$(head -n 1 "$cache")" = "$key" ]; then
        sed -n 2p "$cache"
        return
    fi
    head -c 65488 /dev/zero >"$tmp/probe.bin"
    # At 0xfffd0: fninit; mov eax,cr4; or ax,0x600 (OSFXSR|OSXMMEXCPT); mov cr4,eax;
    # xorps xmm0,xmm0; then mov al,0x10; out 0xf4,al; hlt. At the reset vector
    # (0xffff0): jmp short 0xfffd0.
    printf '\x9b\xdb\xe3\x0f\x20\xe0\x0d\x00\x06\x0f\x22\xe0\x0f\x57\xc0\x90' >>"$tmp/probe.bin"
    printf '\xb0\x10\xe6\xf4\xf4\x90\x90\x90\x90\x90\x90\x90\x90\x90\x90\x90' >>"$tmp/probe.bin"
    printf '\xeb\xde\x90\x90\x90\x90\x90\x90\x90\x90\x90\x90\x90\x90\x90\x90' >>"$tmp/probe.bin"
    local result=tcg
    timeout 5 qemu-system-x86_64 -machine q35,accel=kvm -cpu max -m 64 -nodefaults \
        -display none -bios "$tmp/probe.bin" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        >/dev/null 2>&1 </dev/null
    [ $? -eq 33 ] && result=kvm
    mkdir -p "$build" && printf '%s\n%s\n' "$key" "$result" >"$cache"
    echo $result
}
accel=$(probe_accel)

if [ $have_cmdline -eq 1 ]; then
    # A private image whose cmdline.txt boots at once with the given line.
    "$here/mkimage.sh" --from "$image" --out "$tmp/disk.img" --cmdline "timeout=0 $cmdline" ||
        die "cannot make a private image"
    drive="file=$tmp/disk.img,format=raw,if=none,id=disk"
else
    drive="file=$image,format=raw,if=none,id=disk,snapshot=on" # writes go to a temp overlay
fi

[ $no_ps2 -eq 1 ] && machine="$machine,i8042=off"
args=(-machine "$machine,accel=$accel" -cpu "$cpu" -smp "$smp" -m "$mem" -nic none
      -drive if=pflash,format=raw,unit=0,readonly=on,file="$ovmf_code"
      -drive if=pflash,format=raw,unit=1,file="$tmp/vars.fd"
      -drive "$drive"
      -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04)
[ $interactive -eq 1 ] || args+=(-no-reboot) # a reset ends a scripted run
case $disk in
virtio) args+=(-device virtio-blk-pci,drive=disk,bootindex=1) ;;
ahci) args+=(-device ahci,id=ahci -device ide-hd,bus=ahci.0,drive=disk,bootindex=1) ;;
nvme) args+=(-device nvme,serial=spanlab,drive=disk,bootindex=1) ;;
xhci) args+=(-device qemu-xhci,id=usb -device usb-storage,bus=usb.0,drive=disk,bootindex=1) ;;
ehci) args+=(-device usb-ehci,id=usb -device usb-storage,bus=usb.0,drive=disk,bootindex=1) ;;
*) die "--disk must be virtio, ahci, nvme, xhci or ehci" ;;
esac
if [ -n "$display_size" ]; then
    [[ $display_size =~ ^([0-9]+)x([0-9]+)$ ]] || die "--display-size must be WIDTHxHEIGHT"
    w=${BASH_REMATCH[1]} h=${BASH_REMATCH[2]}
    vram=$(( (w * h * 4 * 2 + (1 << 20) - 1) >> 20 )) # two screens, in MiB
    for v in 16 32 64 128 256; do [ $vram -le $v ] && { vram=$v; break; }; done
    args+=(-vga none -device "VGA,xres=$w,yres=$h,vgamem_mb=$vram" -display "${display:-none}")
elif [ -n "$display" ]; then
    args+=(-vga none -device VGA -display "$display")
else
    args+=(-vga none -display none)
fi
if [ -n "$monitor" ]; then
    args+=(-monitor "unix:$monitor,server=on,wait=off")
else
    args+=(-monitor none)
fi
if [ $debug -eq 1 ]; then
    args+=(-s -S)
    cat >"$build/gdbinit" <<GDB
# Written by tools/qemu.sh --debug: the kernel's symbols and QEMU's GDB stub.
set pagination off
set confirm off
file $build/kernel.elf
target remote :1234
# Software breakpoints cannot be planted before the loader maps the kernel: use hbreak.
hbreak _start
GDB
    echo "qemu.sh: QEMU is paused with a GDB stub on :1234. In another terminal:" >&2
    echo "    gdb -x $build/gdbinit      then 'continue' (stops at _start; 'hbreak FUNC' for more)" >&2
fi

how="boot menu on this terminal; Ctrl-C quits QEMU"
[ $interactive -eq 1 ] && how="boot menu on this terminal; r reboots, p powers off, Ctrl-C quits"
[ $have_cmdline -eq 1 ] && how="command line: $cmdline"
echo "qemu.sh: $(basename "$image") on $disk, $machine, -cpu $cpu, $smp CPU, $accel, $mem," \
     "${tmo:+timeout ${tmo}s, }$how" >&2
if [ -n "$tmo" ]; then
    timeout --foreground -k 5 "$tmo" qemu-system-x86_64 "${args[@]}"
    rc=$?
elif [ $interactive -eq 1 ] && [ -t 0 ]; then
    # Ctrl-C must reach QEMU alone (it quits cleanly, status 0): with job control on,
    # QEMU runs in a process group of its own that owns the terminal, so neither
    # this script nor make (which would print "Interrupt") gets the SIGINT.
    set -m
    qemu-system-x86_64 "${args[@]}"
    rc=$?
    set +m
else
    qemu-system-x86_64 "${args[@]}"
    rc=$?
fi
case $rc in
33) exit 0 ;;
35) exit 1 ;;
124|137) echo "qemu.sh: timed out after ${tmo}s; QEMU killed" >&2; exit 124 ;;
0) exit $((interactive ? 0 : 2)) ;; # QEMU ended by itself: power off, a signal, a reset
*) exit 2 ;;
esac
