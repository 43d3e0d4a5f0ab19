# trace_signals: --enable-balancing turns kernel.numa_balancing on for the
# session; SIGTERM and SIGINT end the session early with a report and put
# the previous value (0) back.
# timeout: 180

t_trace_signals() {
	local sig
	helper_start --size 64M --node 0 --access-node 1 --threads 1
	for sig in TERM INT; do
		trace_signalled $sig
	done
	helper_stop
}
