#!/bin/sh
# The two build modes of the uC/LIB layer (lib/uclib/lib_mem.h):
#  standalone   a Micrium-style client builds warning-free as gnu89, c99 and
#               c11 with lib/uclib + lib/uclib/standalone, links with
#               libdynpool and runs;
#  beside the real uC-CPU/uC-LIB (mechanism; the real check, which needs the
#               Micrium sources, is scripts/check-micrium.sh):
#               - lib/uclib holds no header name of uC-CPU or uC-LIB but
#                 lib_mem.h, so putting it first on the path shadows nothing;
#               - with lib/uclib alone, lib_mem.h looks for <cpu.h> on the
#                 path (so it gets the real one there): the build stops at it;
#               - each standalone header steps aside when uC-CPU's / uC-LIB's
#                 own guard is already defined (the real header came first).
# Usage: compile-modes.sh BUILD_DIR SOURCE_DIR
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
CC=${CC:-cc}
uclib=$src/lib/uclib
client=$src/test/uclib/compile/client.c
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; sed 's/^/# /' "$work/log"; status=1; }
status=0

for std in gnu89 c99 c11; do
	if $CC -std=$std -D_GNU_SOURCE -Wall -Wextra -Werror -I"$uclib" -I"$uclib/standalone" \
		-I"$build/lib" -o "$work/client" "$client" -L"$build/lib" -Wl,-rpath,"$build/lib" \
		-ldynpool -lpthread >"$work/log" 2>&1 && "$work/client" >>"$work/log" 2>&1; then
		ok "standalone: client builds (-std=$std -Wall -Wextra -Werror) and runs"
	else
		notok "standalone: client (-std=$std)"
	fi
done

shadow=
for h in cpu.h cpu_def.h cpu_core.h cpu_cfg.h lib_def.h lib_cfg.h lib_str.h lib_math.h lib_ascii.h; do
	if [ -e "$uclib/$h" ]; then shadow="$shadow $h"; fi
done
if [ -z "$shadow" ]; then
	ok "beside uC-CPU/uC-LIB: lib/uclib shadows no uC-CPU or uC-LIB header but lib_mem.h"
else
	echo "$shadow" >"$work/log"
	notok "beside uC-CPU/uC-LIB: lib/uclib shadows real headers"
fi

echo '#include <lib_mem.h>' >"$work/only.c"
if $CC -std=c11 -I"$uclib" -I"$build/lib" -c -o "$work/only.o" "$work/only.c" >"$work/log" 2>&1; then
	notok "beside uC-CPU/uC-LIB: lib_mem.h built without any cpu.h on the path"
elif grep -q 'cpu.h: No such file' "$work/log"; then
	ok "beside uC-CPU/uC-LIB: lib_mem.h takes <cpu.h> from the include path"
else
	notok "beside uC-CPU/uC-LIB: unexpected failure"
fi

for pair in cpu_def.h:CPU_DEF_MODULE_PRESENT:CPU_WORD_SIZE_32 cpu.h:CPU_MODULE_PRESENT:CPU_CFG_ADDR_SIZE \
	cpu_core.h:CPU_CORE_MODULE_PRESENT:CPU_VAL_UNUSED lib_def.h:LIB_DEF_MODULE_PRESENT:LIB_VERSION; do
	hdr=${pair%%:*} rest=${pair#*:}
	guard=${rest%%:*} item=${rest#*:}
	printf '#define %s\n#include "%s"\n#ifdef %s\n#error "%s did not step aside"\n#endif\n' \
		"$guard" "$uclib/standalone/$hdr" "$item" "$hdr" >"$work/guard.c"
	if $CC -std=c11 -Werror -c -o "$work/guard.o" "$work/guard.c" >"$work/log" 2>&1; then
		ok "standalone/$hdr steps aside when $guard is defined"
	else
		notok "standalone/$hdr with $guard defined"
	fi
done
# Beside the real uC-LIB, lib_mem.h reads the product's lib_cfg.h first, as
# the real one does: a lib_cfg.h included later (by lib_str.h, say) then
# redefines nothing. Stand-in for the real headers: the standalone ones, the
# lib_def.h without its standalone marker, and uC-LIB's template settings.
mkdir -p "$work/real"
cp "$uclib/standalone/cpu.h" "$uclib/standalone/cpu_def.h" "$uclib/standalone/cpu_core.h" "$work/real/"
grep -v 'DP_UCLIB_STANDALONE' "$uclib/standalone/lib_def.h" >"$work/real/lib_def.h"
printf '%s\n' '#ifndef LIB_CFG_MODULE_PRESENT' '#define LIB_CFG_MODULE_PRESENT' \
	'#define LIB_MEM_CFG_ARG_CHK_EXT_EN DEF_DISABLED' '#define LIB_MEM_CFG_HEAP_SIZE 1024u' \
	'#define LIB_MEM_CFG_HEAP_PADDING_ALIGN LIB_MEM_PADDING_ALIGN_NONE' '#endif' >"$work/real/lib_cfg.h"
printf '%s\n' '#include <lib_mem.h>' '#include <lib_cfg.h>' \
	'#if LIB_MEM_CFG_HEAP_SIZE != 1024u || LIB_MEM_CFG_ARG_CHK_EXT_EN != DEF_DISABLED' \
	'#error "lib_mem.h did not take the product configuration"' '#endif' \
	'int cfg_heap(void) { return LIB_MEM_CFG_HEAP_SIZE > 0u; }' >"$work/cfg.c"
if $CC -std=c11 -Wall -Werror -I"$uclib" -I"$build/lib" -I"$work/real" -c -o "$work/cfg.o" \
	"$work/cfg.c" >"$work/log" 2>&1; then
	ok "beside uC-CPU/uC-LIB: lib_mem.h reads the product's lib_cfg.h first (no redefinition)"
else
	notok "beside uC-CPU/uC-LIB: lib_mem.h and a later lib_cfg.h"
fi
# The real uC-LIB directory ahead of lib/uclib gives the client the real
# lib_mem.h, whose structures are smaller than dynpool's: such a client must
# fail to link against libdynpool, not have Mem_*Create() overrun them.
# Stand-in: a client that declares the functions itself, as any other
# lib_mem.h does.
printf '%s\n' '#include <cpu.h>' '#include <lib_def.h>' \
	'typedef struct { void *p[7]; } MEM_DYN_POOL; typedef struct mem_seg MEM_SEG;' \
	'void Mem_DynPoolCreate(const CPU_CHAR *, MEM_DYN_POOL *, MEM_SEG *, CPU_SIZE_T, CPU_SIZE_T,' \
	'                       CPU_SIZE_T, CPU_SIZE_T, LIB_ERR *);' \
	'void Mem_Clr(void *, CPU_SIZE_T);' \
	'int main(void) { MEM_DYN_POOL p; LIB_ERR e; Mem_Clr(&p, sizeof(p));' \
	'  Mem_DynPoolCreate("p", &p, DEF_NULL, 64u, 8u, 0u, 4u, &e); return e != LIB_MEM_ERR_NONE; }' \
	>"$work/other.c"
if $CC -std=c11 -I"$uclib/standalone" -o "$work/other" "$work/other.c" -L"$build/lib" \
	-Wl,-rpath,"$build/lib" -ldynpool -lpthread >"$work/log" 2>&1; then
	notok "a client built against another lib_mem.h links against libdynpool"
elif grep -q "undefined reference to .Mem_DynPoolCreate" "$work/log"; then
	ok "a client built against another lib_mem.h (real uC-LIB first) does not link"
else
	notok "a client built against another lib_mem.h: unexpected failure"
fi
echo "1..$n"
exit $status
