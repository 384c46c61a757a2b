using Pipeline.Cli.Commands;

namespace Pipeline.Cli.Tests;

public sealed class CommandTableTests
{
    [Fact]
    public void Every_entry_is_invoked_by_the_names_its_command_answers_to()
    {
        foreach (var (names, create) in CommandTable.All([]))
        {
            var command = create();
            Assert.Equal(names.Order(), new[] { command.Name }.Concat(command.Aliases).Order());
        }
    }

    [Theory]
    [InlineData("run")]
    [InlineData("ls")]
    [InlineData("rm")]
    public void A_command_named_first_is_the_only_one_built(string first)
    {
        var built = CommandTable.For([first, "x"], []).ToList();
        var command = Assert.Single(built);
        Assert.True(command.Name == first || command.Aliases.Contains(first));
    }

    [Theory]
    [InlineData]
    [InlineData("--help")]
    [InlineData("rnu")] // a typo: the whole tree, so the parser can suggest "run"
    [InlineData("completion", "bash")]
    public void Anything_else_builds_every_command(params string[] args) =>
        Assert.Equal(CommandTable.All([]).Count, CommandTable.For(args, []).Count());
}
