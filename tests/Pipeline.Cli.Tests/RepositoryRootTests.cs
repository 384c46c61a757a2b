namespace Pipeline.Cli.Tests;

/// <summary>Where a command's repository starts: the nearest folder up with .git, the config file or a solution.</summary>
public class RepositoryRootTests
{
    [Theory]
    [InlineData("App.sln", true)]
    [InlineData("App.slnx", true)]
    [InlineData("App.sln.bak", false)]
    [InlineData("App.slnf", false)]
    public void A_solution_marks_the_root_and_lookalikes_do_not(string file, bool marks)
    {
        var root = Directory.CreateTempSubdirectory("pipeline-root-").FullName;
        var inner = Directory.CreateDirectory(Path.Combine(root, "src", "app")).FullName;
        File.WriteAllText(Path.Combine(root, file), "");
        var found = RepositoryRoot.Find(inner);
        if (marks) Assert.Equal(root, found);
        else Assert.NotEqual(root, found);
    }

    [Fact]
    public void The_nearest_marker_wins()
    {
        var root = Directory.CreateTempSubdirectory("pipeline-root-").FullName;
        Directory.CreateDirectory(Path.Combine(root, ".git"));
        var project = Directory.CreateDirectory(Path.Combine(root, "tools", "build")).FullName;
        File.WriteAllText(Path.Combine(project, "Build.slnx"), "");
        Assert.Equal(project, RepositoryRoot.Find(Path.Combine(project, ".")));
        Assert.Equal(root, RepositoryRoot.Find(Path.Combine(root, "tools")));
    }
}
