using System.Text.Json;
using Pipeline.Core.Model;
using Pipeline.Engine.Executors;
using Pipeline.Engine.Reporting;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Tests.Reporting;

public sealed class RunReportWriterTests : IDisposable
{
    private readonly EngineHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_report_larger_than_the_writers_buffer_is_whole_and_in_task_order()
    {
        // 600 tasks make a report of a few hundred kilobytes: it is flushed to the file as it is written.
        var tasks = "[" + string.Join(",", Enumerable.Range(0, 600).Select(i =>
            $$"""{ "id": "t{{i}}", "type": "shell", "command": "true"{{(i > 0 ? $", \"depends_on\": [\"t{i - 1}\"]" : "")}} }""")) + "]";
        var stateDirectory = Path.Combine(_harness.Folder, ".workflow");
        using var writer = new RunReportWriter(stateDirectory);
        var result = await _harness.RunTasks(tasks, options: new RunOptions
        {
            Observers = [writer],
            Executors = new Dictionary<TaskType, ITaskExecutor> { [TaskType.Shell] = new Publishes() },
        });

        Assert.Equal(RunStatus.Succeeded, result.Status);
        var path = Assert.IsType<string>(writer.ReportPath);
        Assert.True(new FileInfo(path).Length > 64 * 1024, "the report should outgrow the writer's buffer");
        Assert.False(File.Exists(path + ".partial"));
        using var report = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = report.RootElement;
        Assert.Equal("succeeded", root.GetProperty("status").GetString());
        var written = root.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(600, written.Count);
        Assert.Equal(result.Tasks.Select(t => t.InstanceId), written.Select(t => t.GetProperty("instance_id").GetString()));
        var last = written[^1];
        Assert.Equal("succeeded", last.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("exit_code").ValueKind);
        Assert.Equal("t599 \"quoted\" ✓", last.GetProperty("outputs").GetProperty("who").GetString());
        Assert.Equal(1, last.GetProperty("attempts")[0].GetProperty("number").GetInt32());
        Assert.Equal(599, root.GetProperty("critical_path_taken").GetArrayLength() - 1);
    }

    private sealed class Publishes : ITaskExecutor
    {
        public Task<ExecutionOutcome> ExecuteAsync(TaskInvocation invocation, CancellationToken cancellationToken) =>
            Task.FromResult(new ExecutionOutcome
            {
                Succeeded = true,
                Outputs = new Dictionary<string, string> { ["who"] = invocation.Task.Id.Value + " \"quoted\" ✓" },
            });
    }
}
