#!/bin/sh
# Sourced by the tests that drive dynpool-testpmd's prompt through tmux
# (app.sh, app-prompt.sh). The caller sets $s, the name of its own tmux
# server (-L) and session: other users of the machine's default server
# cannot touch it, and its history holds the whole session.
# shellcheck disable=SC2154 # s: set by the caller

# prompts: how many prompt lines the terminal has shown so far. tmux drops
# the prompt's trailing space, so the pattern has none.
prompts() { tmux -L $s capture-pane -t $s -p -S - | grep -c "^dynpool-testpmd>"; }
# wait_prompts N: until the terminal has shown N prompts (30 s at most:
# EAL and a sanitizer build start slowly on a loaded machine).
wait_prompts() {
	i=0
	while [ $i -lt 300 ] && [ "$(prompts)" -lt "$1" ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
# step COMMAND [SECONDS]: type it, wait for the next prompt (the command
# answered), then SECONDS more (forwarding that should run a while).
step() {
	k=$(prompts)
	tmux -L $s send-keys -t $s "$1" Enter
	wait_prompts $((k + 1))
	[ -z "${2:-}" ] || sleep "$2"
}
# finish LOG: wait for the app to exit (it prints EXIT=), keep the whole
# screen history in LOG, end the server.
finish() {
	i=0
	while [ $i -lt 300 ] && ! tmux -L $s capture-pane -t $s -p -S - | grep -q "EXIT="; do
		sleep 0.1
		i=$((i + 1))
	done
	tmux -L $s capture-pane -t $s -p -S - >"$1"
	tmux -L $s kill-server 2>/dev/null
}
