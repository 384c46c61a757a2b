using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Pipeline.Core.Model;
using Pipeline.Core.Text;

namespace Pipeline.Core.Taskfile;

/// <summary>
/// Maps a Taskfile onto the shared model: one <see cref="TaskfileTaskDefinition"/> per task, whose
/// depends_on are its deps resolved to local task names (aliases and wildcards followed). Deps on
/// included Taskfiles and unknown deps are left out here; <see cref="TaskfileRules"/> reports them.
/// </summary>
public static class TaskfileConverter
{
    public static WorkflowDefinition Convert(TaskfileDocument doc)
    {
        var names = new TaskNames(doc);
        var tasks = new List<TaskDefinition>();
        foreach (var t in doc.Tasks)
        {
            var deps = new List<TaskRef>();
            foreach (var d in t.Deps)
                if (names.Resolve(d.Task.Value, out _) is { } resolved)
                    deps.Add(new TaskRef(resolved, d.Task.Span));
            tasks.Add(new TaskfileTaskDefinition
            {
                Id = t.Name,
                Name = t.Label ?? t.Name,
                DependsOn = deps,
                ContinueOnError = t.IgnoreError,
                Env = t.Env.Where(e => e.Kind == TaskfileVarKind.Static && e.Value is not null).Select(e => new NamedValue(e.Name, e.Value!)).ToList(),
                Cwd = t.Dir,
                Source = t,
                Document = doc,
                Span = t.Span,
                TypeSpan = t.Span,
            });
        }
        var directory = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(doc.Path))) ?? string.Empty;
        return new WorkflowDefinition
        {
            Name = LocatedString.Synthetic(directory.Length == 0 ? "taskfile" : directory, doc.Span),
            Version = doc.Version,
            Environment = doc.Env.Where(e => e.Kind == TaskfileVarKind.Static && e.Value is not null).Select(e => new NamedValue(e.Name, e.Value!)).ToList(),
            Secrets = doc.Vars.Concat(doc.Env).Where(v => v.Secret).Select(v => new SecretDeclaration(v.Name, null, v.Name.Value, v.Span)).ToList(),
            Tasks = tasks,
            Format = WorkflowFormat.Taskfile,
            Path = doc.Path,
            Span = doc.Span,
        };
    }
}
