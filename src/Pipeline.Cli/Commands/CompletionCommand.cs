using System.CommandLine;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>workflow completion bash|zsh|pwsh</c>: a script that makes the shell complete commands,
/// options, workflow names, task ids and execution ids. Each script asks the tool itself through
/// System.CommandLine's <c>[suggest:&lt;position&gt;]</c> directive, so completions follow the files
/// and the store of the folder you are in (the Windows-style help aliases /h and /? are left out).
/// </summary>
public static class CompletionCommand
{
    public static Command Create()
    {
        var shell = new Argument<string?>("shell") { Description = "bash, zsh or pwsh (asked on a terminal when left out)", Arity = ArgumentArity.ZeroOrOne };
        shell.AcceptOnlyFromAmong("bash", "zsh", "pwsh");
        var command = new Command("completion", """
            Prints a shell completion script: commands, options, workflow names (from the repository),
            a workflow's task ids, and recorded execution ids.

            Examples:
              workflow completion bash >> ~/.bashrc
              workflow completion zsh  >> ~/.zshrc
              workflow completion pwsh >> $PROFILE

            Exit codes: 0 printed, 2 an unknown shell, or none named without a terminal to ask on.
            """)
        {
            shell,
        };
        command.SetAction(parse =>
        {
            var chosen = Running.Prompting.GivenOrChosen(parse.GetValue(shell), "Which shell?", ["bash", "zsh", "pwsh"], "name the shell", Console.Error);
            if (chosen is null) return ExitCodes.InvalidInput;
            Console.Out.Write(chosen switch
            {
                "bash" => Bash,
                "zsh" => Zsh,
                _ => Pwsh,
            });
            return ExitCodes.Success;
        });
        return command;
    }

    public const string Bash = """
        # workflow completion for bash: add to ~/.bashrc (workflow completion bash >> ~/.bashrc)
        _workflow_complete() {
            local IFS=$'\n'
            local candidates
            candidates=$(workflow "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null | grep -v '^/[?h]$')
            COMPREPLY=( $(compgen -W "${candidates}" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _workflow_complete workflow

        """;

    public const string Zsh = """
        # workflow completion for zsh: add to ~/.zshrc (workflow completion zsh >> ~/.zshrc)
        _workflow_complete() {
            local -a candidates
            candidates=("${(@f)$(workflow "[suggest:${#BUFFER}]" "${BUFFER}" 2>/dev/null | grep -v '^/[?h]$')}")
            compadd -a candidates
        }
        compdef _workflow_complete workflow

        """;

    public const string Pwsh = """
        # workflow completion for PowerShell: add to $PROFILE (workflow completion pwsh >> $PROFILE)
        Register-ArgumentCompleter -Native -CommandName workflow -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            workflow "[suggest:$cursorPosition]" "$($commandAst.ToString())" 2>$null | Where-Object { $_ -notmatch '^/[?h]$' } | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
            }
        }

        """;
}
