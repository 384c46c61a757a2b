using System.CommandLine;

namespace Pipeline.Cli;

public enum OutputFormat { Text, Json }

/// <summary>Options every command accepts (recursive on the root command).</summary>
public static class GlobalOptions
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show more: info-level diagnostics and details",
        Recursive = true,
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "Show only errors and warnings, no summaries",
        Recursive = true,
    };

    public static readonly Option<FileInfo?> Config = new("--config")
    {
        Description = "Configuration file (default: .workflow-config.json in the current directory, when present)",
        Recursive = true,
    };

    public static readonly Option<OutputFormat> Format = new("--format")
    {
        Description = "Output format: text (MSBuild-style lines editors and CI link) or json",
        DefaultValueFactory = _ => OutputFormat.Text,
        Recursive = true,
    };
}
