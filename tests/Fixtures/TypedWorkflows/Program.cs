using Fixture;

// Typed access to what the generator produced from workflows/deploy.workflow.json.
var deploy = Workflows.Deploy.Workflow;
Console.WriteLine($"{deploy.Name}: {deploy.Description}");
Console.WriteLine($"tasks: {string.Join(", ", deploy.Tasks.Select(t => t.Id))}");
Console.WriteLine($"output: {Workflows.Deploy.Build.Version}");
Console.WriteLine($"env: {Workflows.Deploy.Env.ApiUrl.Name}={Workflows.Deploy.Env.ApiUrl.DeclaredValue}");
Console.WriteLine($"depends_on of ship: {string.Join(", ", deploy.Definition!.FindTask(Workflows.Deploy.Ship.Id)!.DependsOn)}");
