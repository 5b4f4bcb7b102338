# bash completion for sendnews(1): commands, options, --format values,
# topic names and post ids (read from the cache with --offline, so
# completing never touches the network).  Needs only bash; installed as
# share/bash-completion/completions/sendnews.

# The options of the line being completed that choose which cache and
# rules to read, so topic names and ids come from the same place.
_sendnews_source_opts()
{
	local i w
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--demo) printf '%s\n' --demo ;;
		--feeds | --topics | --cache | --config)
			# Only words as typed: a ~ or $VAR is not expanded here.
			printf '%s\n%s\n' "$w" "${COMP_WORDS[i + 1]}" ;;
		esac
	done
}

_sendnews()
{
	local cur prev cmd w i
	local -a src
	local commands="list show topics fetch check add import-opml export-opml"
	local opts="--config --feeds --topics --cache --demo --offline --plain
		--screen-reader --no-color --format --topic --feed --unread --since
		--search --archived --closing --yes --warn-age --crit-age --quiet
		--verbose --browser --timeout --max-parallel --user-agent --help
		--version"

	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}

	case $prev in
	--config | --feeds | --topics)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--cache)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	--format)
		COMPREPLY=($(compgen -W "text tsv json" -- "$cur"))
		return ;;
	--topic)
		local IFS=$'\n' name
		mapfile -t src < <(_sendnews_source_opts)
		for name in $(sendnews "${src[@]}" --offline --format tsv topics 2>/dev/null | cut -f1); do
			[[ ${name,,} == "${cur,,}"* ]] && COMPREPLY+=("$(printf '%q' "$name")")
		done
		return ;;
	--browser)
		COMPREPLY=($(compgen -c -- "$cur"))
		return ;;
	--feed | --since | --search | --warn-age | --crit-age | --timeout | \
	--max-parallel | --user-agent)
		return ;;
	esac

	# The command, if one was typed already.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--config | --feeds | --topics | --cache | --format | --topic | --feed | \
		--since | --search | --warn-age | --crit-age | --browser | --timeout | \
		--max-parallel | --user-agent)
			((i++)) ;;
		-*) ;;
		*) cmd=$w; break ;;
		esac
	done

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	elif [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$commands" -- "$cur"))
	elif [[ $cmd == import-opml && $prev == import-opml ]]; then
		COMPREPLY=($(compgen -f -- "$cur"))
	elif [[ $cmd == show && $prev == show ]]; then
		mapfile -t src < <(_sendnews_source_opts)
		COMPREPLY=($(compgen -W "$(sendnews "${src[@]}" --offline --archived --format tsv list 2>/dev/null |
			cut -f6 | sort -u)" -- "$cur"))
	fi
}

complete -F _sendnews sendnews
