// The scripts `proflens completion bash|zsh|fish` prints. Each is thin: it hands the line up to the
// cursor and the shell's own current word to `proflens __complete` (cli/completion.ts) and offers
// what comes back; a first line `:files` asks for file names as well.

import { Argument, type Command } from 'commander';
import type { CliIO } from './options.js';

/** completionScripts holds one script per shell, to be sourced (bash, zsh) or saved (fish). */
export const completionScripts = {
  bash: `# proflens completion for bash. Load it with:  source <(proflens completion bash)
_proflens() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" line="\${COMP_LINE:0:COMP_POINT}" reply word files=0
  COMPREPLY=()
  reply="$(proflens __complete "$line" "$cur" "$COMP_LINE" 2>/dev/null)" || return 0
  while IFS= read -r word; do
    if [[ $word == ":files" ]]; then files=1
    elif [[ -n $word ]]; then COMPREPLY+=("$word")
    fi
  done <<< "$reply"
  if (( files )); then
    while IFS= read -r word; do COMPREPLY+=("$word"); done < <(compgen -f -- "$cur")
    compopt -o filenames 2>/dev/null
  fi
  return 0
}
complete -F _proflens proflens
`,
  zsh: `#compdef proflens
# proflens completion for zsh. Load it with:  source <(proflens completion zsh)  (after compinit)
_proflens() {
  local -a reply found
  local w files=0
  reply=("\${(@f)$(proflens __complete "\${BUFFER[1,CURSOR]}" "\${words[CURRENT]}" "$BUFFER" 2>/dev/null)}")
  for w in $reply; do
    if [[ $w == ":files" ]]; then files=1
    elif [[ -n $w ]]; then found+=("$w")
    fi
  done
  (( \${#found} )) && compadd -Q -- "\${found[@]}"
  (( files )) && _files
  return 0
}
compdef _proflens proflens
`,
  fish: `# proflens completion for fish. Save it as ~/.config/fish/completions/proflens.fish:
#   proflens completion fish > ~/.config/fish/completions/proflens.fish
function __proflens_complete
    for w in (proflens __complete (commandline -cp) (commandline -ct) (commandline -p) 2>/dev/null)
        if test "$w" = ":files"
            __fish_complete_path (commandline -ct)
        else if test -n "$w"
            echo $w
        end
    end
end
complete -c proflens -f -a '(__proflens_complete)'
`,
} as const;

/** CompletionShell names a shell proflens writes a completion script for. */
export type CompletionShell = keyof typeof completionScripts;

/** registerCompletionCommand adds `completion <shell>`, which prints that shell's script. */
export function registerCompletionCommand(program: Command, io: CliIO): void {
  program
    .command('completion')
    .description('print a shell completion script: commands, options, sample types and function names of the profile named')
    .addArgument(new Argument('<shell>', 'the shell').choices(Object.keys(completionScripts)))
    .action((shell: CompletionShell) => io.stdout(completionScripts[shell]));
}
