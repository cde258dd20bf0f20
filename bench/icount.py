# gdb script for bench/icount: the instructions one call of the measured
# loop of pool_perf --callgrind retires, counted by single-stepping it
# (hardware steps, so any ISA the CPU runs: AVX-512 too, which valgrind
# cannot decode). The first call of cg_loop_* is the warm-up; the second
# is stepped to its return. Prints "ICOUNT <n>".
import gdb

gdb.execute('set pagination off')
gdb.execute('set confirm off')
gdb.execute('set print thread-events off')
stops = [gdb.Breakpoint(f, internal=True) for f in ('cg_loop_dynpool', 'cg_loop_mempool')]
gdb.execute('run', to_string=True)       # warm-up call
gdb.execute('continue', to_string=True)  # measured call
for b in stops:
    b.enabled = False
gdb.execute('set scheduler-locking step')  # EAL's threads stay put
ret = gdb.selected_frame().older().pc()
sp0 = int(gdb.parse_and_eval('$sp'))
n = 0
while True:
    gdb.execute('stepi', to_string=True)
    n += 1
    # Back in the caller: the return address with the frame popped (a
    # recursive pass through ret's address would have a lower sp).
    if int(gdb.parse_and_eval('$pc')) == ret and int(gdb.parse_and_eval('$sp')) > sp0:
        break
print('ICOUNT', n)
gdb.execute('kill')
