#!/bin/sh
# Build and run real Micrium client code against dynpool's uC/LIB layer, in
# both build modes (see lib/uclib/lib_mem.h and doc/user-guide.md, "µC/LIB").
# The Micrium sources are not part of dynpool: fetch them yourself (Apache-2.0,
# github.com/weston-embedded/uC-LIB, uC-CPU, uC-Common, uC-HTTP, uC-TCP-IP,
# uC-USBH) into one directory, build dynpool, then run
#
#   scripts/check-micrium.sh MICRIUM_DIR [BUILD_DIR]
#
# Checks (each prints PASS or FAIL; a repository that is absent is SKIPped):
#  1. standalone: uC-Common/KAL/POSIX/kal.c with lib/uclib + lib/uclib/standalone,
#     run by test/uclib/micrium/kal_driver.c; the real lib_str.c, lib_math.c and
#     lib_ascii.c compile with those headers first;
#  2. beside the real uC-CPU/uC-LIB: kal.c, lib_str.c, lib_math.c, lib_ascii.c,
#     cpu_core.c and the POSIX port's cpu_c.c with lib/uclib first and the real
#     directories after it, linked with libdynpool, run by kal_driver.c and
#     libs_driver.c;
#     2b. with uC-LIB's template lib_cfg.h, <lib_mem.h> then <lib_str.h>
#     compiles with -Werror (lib_mem.h read lib_cfg.h first);
#     2c. with the real uC-LIB ahead of lib/uclib, a client (of the real
#     lib_mem.h) does not link with libdynpool;
#  3. uC-HTTP/Server/Source/http-s_mem.c compiles in mode (b) (template configs);
#  4. every MEM_DYN_POOL / MEM_POOL field that uC-TCP-IP's net_secure_emssl.c and
#     uC-USBH's host drivers read exists (their other headers are not public).
# Exit status: 0 if nothing failed.
set -u
micrium=$(cd "${1:?usage: check-micrium.sh MICRIUM_DIR [BUILD_DIR]}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${2:-$src/build}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/a"
drv=$src/test/uclib/micrium
CC=${CC:-cc}
CFLAGS="-std=gnu11 -D_GNU_SOURCE -Wall -Werror=implicit-function-declaration"
LIBS="-L$build/lib -Wl,-rpath,$build/lib -ldynpool -lpthread"
failed=0

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1"; sed 's/^/    /' "$work/log" | head -20; failed=1; }
skip() { echo "SKIP: $1 ($2 not in $micrium)"; }
have() { [ -d "$micrium/$1" ]; }

# 1. Standalone.
if have uC-Common; then
	inc="-I$src/lib/uclib -I$src/lib/uclib/standalone -I$build/lib -I$micrium/uC-Common/KAL -I$micrium/uC-Common"
	# shellcheck disable=SC2086
	if $CC $CFLAGS $inc -o "$work/a/kal" "$micrium/uC-Common/KAL/POSIX/kal.c" \
		"$drv/kal_driver.c" $LIBS >"$work/log" 2>&1 &&
		"$work/a/kal" >>"$work/log" 2>&1; then
		pass "standalone: KAL/POSIX/kal.c builds and runs ($(tail -1 "$work/log"))"
	else
		fail "standalone: KAL/POSIX/kal.c"
	fi
else
	skip "standalone kal.c" uC-Common
fi
# The standalone headers are complete enough for the real lib_str, lib_math
# and lib_ascii too, should a build put them first.
if have uC-LIB; then
	inc="-I$src/lib/uclib -I$src/lib/uclib/standalone -I$build/lib -I$drv/cfg -I$micrium/uC-LIB"
	ok=1
	: >"$work/log"
	for f in lib_str.c lib_math.c lib_ascii.c; do
		# shellcheck disable=SC2086
		$CC $CFLAGS -Werror $inc -c -o "$work/a/$f.o" "$micrium/uC-LIB/$f" >>"$work/log" 2>&1 || ok=0
	done
	if [ $ok = 1 ]; then
		pass "standalone headers first: real lib_str.c, lib_math.c, lib_ascii.c compile (-Wall -Werror)"
	else
		fail "standalone headers first: real lib_str.c, lib_math.c, lib_ascii.c"
	fi
else
	skip "standalone lib_str/lib_math" uC-LIB
fi

# 2. Beside the real uC-CPU and uC-LIB: lib/uclib first, no standalone dir.
if have uC-CPU && have uC-LIB && have uC-Common; then
	inc="-I$src/lib/uclib -I$build/lib -I$drv/cfg -I$micrium/uC-LIB -I$micrium/uC-CPU"
	inc="$inc -I$micrium/uC-CPU/POSIX/GNU -I$micrium/uC-Common/KAL -I$micrium/uC-Common"
	mkdir -p "$work/b"
	ok=1
	: >"$work/log"
	for f in uC-Common/KAL/POSIX/kal.c uC-LIB/lib_str.c uC-LIB/lib_math.c uC-LIB/lib_ascii.c \
		uC-CPU/cpu_core.c uC-CPU/POSIX/GNU/cpu_c.c; do
		# shellcheck disable=SC2086
		$CC $CFLAGS $inc -c -o "$work/b/$(basename "$f" .c).o" "$micrium/$f" >>"$work/log" 2>&1 || ok=0
	done
	if [ $ok = 1 ]; then
		pass "beside uC-CPU/uC-LIB: kal.c, lib_str.c, lib_math.c, lib_ascii.c, cpu_core.c, cpu_c.c compile"
		for d in kal_driver libs_driver; do
			# shellcheck disable=SC2086
			if $CC $CFLAGS $inc -o "$work/b/$d" "$drv/$d.c" "$work/b"/*.o $LIBS >"$work/log" 2>&1 &&
				"$work/b/$d" >>"$work/log" 2>&1; then
				pass "beside uC-CPU/uC-LIB: $d ($(tail -1 "$work/log"))"
			else
				fail "beside uC-CPU/uC-LIB: $d"
			fi
		done
	else
		fail "beside uC-CPU/uC-LIB: compiling the real sources"
	fi
else
	skip "mode (b)" "uC-CPU, uC-LIB or uC-Common"
fi

# 2b. Beside the real uC-CPU/uC-LIB with uC-LIB's template lib_cfg.h (heap
# size, argument checks off) and CPU names off, so that nothing but lib_mem.h
# reads lib_cfg.h before the client's own lib_str.h does: no redefinition.
if have uC-CPU && have uC-LIB; then
	mkdir -p "$work/tcfg"
	cp "$micrium/uC-LIB/Cfg/Template/lib_cfg.h" "$work/tcfg/"
	sed 's/CPU_CFG_NAME_EN DEF_ENABLED/CPU_CFG_NAME_EN DEF_DISABLED/' "$drv/cfg/cpu_cfg.h" >"$work/tcfg/cpu_cfg.h"
	printf '%s\n' '#include <lib_mem.h>' '#include <lib_str.h>' \
		'CPU_SIZE_T heap_cfg(void) { return LIB_MEM_CFG_HEAP_SIZE; }' >"$work/tcfg/client.c"
	inc="-I$src/lib/uclib -I$build/lib -I$work/tcfg -I$micrium/uC-LIB -I$micrium/uC-CPU -I$micrium/uC-CPU/POSIX/GNU"
	# shellcheck disable=SC2086
	if $CC $CFLAGS -Werror $inc -c -o "$work/tcfg/client.o" "$work/tcfg/client.c" >"$work/log" 2>&1; then
		pass "beside uC-CPU/uC-LIB: <lib_mem.h> then <lib_str.h> with the template lib_cfg.h (-Werror)"
	else
		fail "beside uC-CPU/uC-LIB: <lib_mem.h> then <lib_str.h> with the template lib_cfg.h"
	fi
else
	skip "template lib_cfg.h" "uC-CPU or uC-LIB"
fi

# 2c. The wrong order, the real uC-LIB ahead of lib/uclib: the client gets
# the real lib_mem.h and its smaller structures, so it must not link with
# libdynpool (rather than have Mem_DynPoolCreate() overrun its MEM_DYN_POOL).
if have uC-CPU && have uC-LIB; then
	printf '%s\n' '#include <lib_mem.h>' 'static MEM_DYN_POOL pool;' \
		'int main(void) { LIB_ERR e; Mem_DynPoolCreate("p", &pool, DEF_NULL, 64u, 8u, 0u, 4u, &e);' \
		'  return e != LIB_MEM_ERR_NONE; }' >"$work/tcfg/wrong.c"
	inc="-I$work/tcfg -I$micrium/uC-LIB -I$micrium/uC-CPU -I$micrium/uC-CPU/POSIX/GNU -I$src/lib/uclib -I$build/lib"
	# shellcheck disable=SC2086
	if $CC $CFLAGS $inc -o "$work/tcfg/wrong" "$work/tcfg/wrong.c" $LIBS >"$work/log" 2>&1; then
		fail "real uC-LIB ahead of lib/uclib: a client of the real lib_mem.h links with libdynpool"
	elif grep -q 'undefined reference to .Mem_DynPoolCreate' "$work/log"; then
		pass "real uC-LIB ahead of lib/uclib: a client of the real lib_mem.h does not link with libdynpool"
	else
		fail "real uC-LIB ahead of lib/uclib: unexpected failure"
	fi
else
	skip "wrong include order" "uC-CPU or uC-LIB"
fi

# 3. uC-HTTP's server memory module.
if have uC-HTTP && have uC-TCP-IP && have uC-CPU && have uC-LIB && have uC-Common; then
	mkdir -p "$work/cfg"
	cp "$micrium"/uC-HTTP/Server/Cfg/Template/*.h "$micrium"/uC-TCP-IP/Cfg/Template/*.h "$work/cfg/"
	cp "$drv"/cfg/*.h "$work/cfg/"
	inc="-I$src/lib/uclib -I$build/lib -I$work/cfg -I$micrium/uC-LIB -I$micrium/uC-CPU"
	inc="$inc -I$micrium/uC-CPU/POSIX/GNU -I$micrium/uC-Common -I$micrium/uC-Common/KAL"
	inc="$inc -I$micrium/uC-TCP-IP -I$micrium/uC-HTTP/Server/Source -I$micrium/uC-HTTP -I$micrium"
	# shellcheck disable=SC2086
	if $CC $CFLAGS -Werror $inc -c -o "$work/http.o" \
		"$micrium/uC-HTTP/Server/Source/http-s_mem.c" >"$work/log" 2>&1; then
		pass "uC-HTTP/Server/Source/http-s_mem.c compiles (-Wall -Werror), uses: $(nm "$work/http.o" | awk '/ U dp_uclib_Mem_/ {sub("dp_uclib_", "", $2); printf "%s ", $2}')"
	else
		fail "uC-HTTP/Server/Source/http-s_mem.c"
	fi
else
	skip "http-s_mem.c" "uC-HTTP, uC-TCP-IP, uC-CPU, uC-LIB or uC-Common"
fi

# 4. Fields read from pool structures by client code.
fields() { # FILE VARIABLE-REGEX -> field names read through those variables
	grep -ohE "$2\.[A-Za-z_]+" "$1" | sed 's/.*\.//' | sort -u
}
check_fields() { # LABEL TYPE FIELDS...
	label=$1 type=$2
	shift 2
	{
		echo "#include <stddef.h>"
		echo "#include <lib_mem.h>"
		for f in "$@"; do echo "size_t off_$f = offsetof($type, $f);"; done
	} >"$work/fields.c"
	# shellcheck disable=SC2086
	if $CC $CFLAGS -Werror -I"$src/lib/uclib" -I"$src/lib/uclib/standalone" -I"$build/lib" \
		-c -o "$work/fields.o" "$work/fields.c" >"$work/log" 2>&1; then
		pass "$label reads $type fields: $*"
	else
		fail "$label: $type fields $*"
	fi
}
emssl=$micrium/uC-TCP-IP/Secure/Segger/net_secure_emssl.c
if [ -f "$emssl" ]; then
	# shellcheck disable=SC2046
	check_fields "net_secure_emssl.c" MEM_DYN_POOL \
		$(fields "$emssl" 'NetSecure_(SessionPool|ServerDescPool)')
else
	skip "net_secure_emssl.c fields" uC-TCP-IP
fi
if have uC-USBH; then
	hcd=$(grep -lE '\.PoolAddrStart|Pool\.BlkSize' "$micrium"/uC-USBH/HCD/*/*.c)
	# shellcheck disable=SC2046,SC2086
	check_fields "uC-USBH host drivers ($(echo $hcd | wc -w) files)" MEM_POOL \
		$(cat $hcd | grep -ohE '(HC_[A-Z]+Pool|DrvMemPool)\.[A-Za-z_]+' | sed 's/.*\.//' | sort -u)
else
	skip "uC-USBH MEM_POOL fields" uC-USBH
fi

exit $failed
