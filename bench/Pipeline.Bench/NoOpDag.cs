using System.Text;
using Pipeline.Core.Loading;
using Pipeline.Core.Model;

namespace Pipeline.Bench;

/// <summary>
/// The 10,000-task DAG of the engine-overhead benchmark: a root fanning out to 50 chains of 199
/// tasks that fan in to one join, plus 48 tasks hanging off the root (fan-out, fan-in and chains).
/// </summary>
public static class NoOpDag
{
    public const int Chains = 50;
    public const int ChainLength = 199;
    public const int Extra = 48;
    public const int TaskCount = 1 + Chains * ChainLength + 1 + Extra;

    public static WorkflowDefinition Build()
    {
        var sb = new StringBuilder("{ \"name\": \"noop-10k\", \"tasks\": [\n");
        sb.Append("{ \"id\": \"root\", \"type\": \"shell\", \"command\": \"true\" }");
        var ends = new List<string>();
        for (var c = 0; c < Chains; c++)
            for (var i = 0; i < ChainLength; i++)
            {
                var id = $"c{c}-{i}";
                var dep = i == 0 ? "root" : $"c{c}-{i - 1}";
                sb.Append($",\n{{ \"id\": \"{id}\", \"type\": \"shell\", \"command\": \"true\", \"depends_on\": [\"{dep}\"] }}");
                if (i == ChainLength - 1) ends.Add(id);
            }
        sb.Append($",\n{{ \"id\": \"join\", \"type\": \"shell\", \"command\": \"true\", \"depends_on\": [{string.Join(",", ends.Select(e => $"\"{e}\""))}] }}");
        for (var x = 0; x < Extra; x++)
            sb.Append($",\n{{ \"id\": \"x{x}\", \"type\": \"shell\", \"command\": \"true\", \"depends_on\": [\"root\"] }}");
        sb.Append("\n] }");
        var read = WorkflowLoader.Read("noop.workflow.json", Encoding.UTF8.GetBytes(sb.ToString()), WorkflowFileKind.WorkflowJson);
        return read.Workflow ?? throw new InvalidOperationException("benchmark workflow did not parse");
    }
}
