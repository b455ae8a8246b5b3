# SPDX-License-Identifier: ISC
#
# bash completion for smtpprobe(1).
# Install as /usr/share/bash-completion/completions/smtpprobe (loaded on
# demand by the bash-completion package), or source it from ~/.bashrc.
# Works without bash-completion too; uses its _filedir when present.
# The options are those of "smtpprobe --help" (tests/contrib.sh checks).
# shellcheck disable=SC2207 # COMPREPLY=($(compgen ...)): the usual idiom

_smtpprobe_longopts='--commands --port --helo --host --dns-server --no-ptr
	--no-starttls --smtps --cafile --no-dane --no-mta-sts --show-certs --tls-versions --submission
	--no-vrfy-control --connect-timeout --timeout
	--deadline --dns-timeout --concurrency --per-ip --no-share --rate --shard --expect
	--policy --cert-warn --cert-crit --banner-warn --banner-crit
	--session-warn --session-crit --nagios-high --baseline --baseline-regression --format --json
	--output --summary-only --wide --no-advice --transcript --quiet --color --no-color --file
	--help --version --demo'
_smtpprobe_shortopts='-c -p -4 -6 -f -o -P -v -q -h -V'
_smtpprobe_formats='text json jsonl nagios prometheus'
_smtpprobe_colors='auto always never'
_smtpprobe_verbs='VRFY EXPN TURN ETRN ATRN HELP NOOP'
_smtpprobe_rules='VRFY=off EXPN=off TURN=off ETRN=off ATRN=off STARTTLS=on
	TLS>=1.2 TLS>=1.3 CERT=valid DANE=valid'
_smtpprobe_codes='211 214 220 221 250 251 252 354 421 450 451 452 455 500
	501 502 503 504 521 530 550 551 552 553 554 555'

# file names, the bash-completion way when it is loaded
_smtpprobe_files()
{
	if declare -F _filedir >/dev/null 2>&1; then
		_filedir
	else
		compopt -o filenames 2>/dev/null
		local IFS=$'\n'
		COMPREPLY=($(compgen -f -- "$1"))
	fi
}

# a comma-separated list: complete its last element from $2
_smtpprobe_list()
{
	local cur=$1 words=$2 head=
	case $cur in
	*,*) head=${cur%,*},; cur=${cur##*,} ;;
	esac
	COMPREPLY=($(compgen -P "$head" -W "$words" -- "$cur"))
	compopt -o nospace 2>/dev/null
}

_smtpprobe()
{
	local cur prev cword=$COMP_CWORD i
	local -a words=("${COMP_WORDS[@]}")

	COMPREPLY=()
	cur=${words[cword]}
	prev=
	[ "$cword" -gt 0 ] && prev=${words[cword-1]}
	# "--opt=value": COMP_WORDBREAKS usually splits it at the "="
	if [ "$cur" = "=" ] && [ "$cword" -gt 0 ]; then
		cur=
		prev=$prev=
	elif [ "$prev" = "=" ] && [ "$cword" -gt 1 ]; then
		prev=${words[cword-2]}=
	elif [[ $cur == --*=* ]]; then
		prev=${cur%%=*}=
		cur=${cur#*=}
	fi

	# smtpprobe explain CODE [CODE]
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) ;;
		explain)
			[ $((cword - i)) -le 2 ] &&
				COMPREPLY=($(compgen -W "$_smtpprobe_codes" -- "$cur"))
			return 0 ;;
		*) break ;;
		esac
	done

	case $prev in
	--format|--format=)
		COMPREPLY=($(compgen -W "$_smtpprobe_formats" -- "$cur"))
		return 0 ;;
	--color=)
		COMPREPLY=($(compgen -W "$_smtpprobe_colors" -- "$cur"))
		return 0 ;;
	--nagios-high|--nagios-high=|--baseline-regression|--baseline-regression=)
		COMPREPLY=($(compgen -W "ok warning critical" -- "$cur"))
		return 0 ;;
	-o|--output|--output=)
		# FORMAT:FILE: the format first, then the file after the colon
		if [[ $cur == *:* ]]; then
			local fmt=${cur%%:*}:
			_smtpprobe_files "${cur#*:}"
			COMPREPLY=("${COMPREPLY[@]/#/$fmt}")
		else
			COMPREPLY=($(compgen -S : -W "$_smtpprobe_formats" -- "$cur"))
			compopt -o nospace 2>/dev/null
		fi
		return 0 ;;
	-f|--file|--file=|--cafile|--cafile=|--policy|--policy=|--baseline|--baseline=)
		_smtpprobe_files "$cur"
		return 0 ;;
	-c|--commands|--commands=)
		_smtpprobe_list "$cur" "$_smtpprobe_verbs"
		return 0 ;;
	--expect|--expect=)
		_smtpprobe_list "$cur" "$_smtpprobe_rules"
		return 0 ;;
	--host|--host=)
		COMPREPLY=($(compgen -A hostname -- "$cur"))
		return 0 ;;
	-p|--port|--port=)
		COMPREPLY=($(compgen -W "25 465 587 2525" -- "$cur"))
		return 0 ;;
	--shard|--shard=|--helo|--helo=|--dns-server|--dns-server=|\
	--connect-timeout|--connect-timeout=|--timeout|--timeout=|\
	--deadline|--deadline=|--dns-timeout|--dns-timeout=|-P|\
	--concurrency|--concurrency=|--per-ip|--per-ip=|--rate|--rate=|\
	--cert-warn|--cert-warn=|--cert-crit|--cert-crit=|\
	--banner-warn|--banner-warn=|--banner-crit|--banner-crit=|\
	--session-warn|--session-warn=|--session-crit|--session-crit=)
		return 0 ;;	# a value of the user's own
	esac

	case $cur in
	--*)
		COMPREPLY=($(compgen -W "$_smtpprobe_longopts" -- "$cur"))
		# --color takes its value after "=" only
		for i in "${!COMPREPLY[@]}"; do
			[ "${COMPREPLY[i]}" = --color ] && COMPREPLY[i]=--color=
		done
		[[ ${COMPREPLY[*]} == *= ]] && compopt -o nospace 2>/dev/null
		;;
	-*)
		COMPREPLY=($(compgen -W "$_smtpprobe_shortopts $_smtpprobe_longopts" -- "$cur"))
		;;
	*)
		# a target: a domain or host name; or the explain subcommand
		COMPREPLY=($(compgen -A hostname -- "$cur"))
		if [ "$cword" -eq 1 ]; then
			COMPREPLY+=($(compgen -W explain -- "$cur"))
		fi
		;;
	esac
	return 0
}

complete -F _smtpprobe smtpprobe
