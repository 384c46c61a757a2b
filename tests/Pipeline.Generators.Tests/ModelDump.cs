using System.Collections;
using System.Reflection;
using System.Text;
using Pipeline.Core.Expressions;
using Pipeline.Core.Text;

namespace Pipeline.Generators.Tests;

/// <summary>
/// Everything a workflow definition says, as text, leaving out positions and the file path: two
/// definitions with equal dumps run the same way. Used to check that generated C# rebuilds exactly
/// the definition the reader produced.
/// </summary>
internal static class ModelDump
{
    private static readonly HashSet<string> Skipped = ["Span", "TypeSpan", "ItemsSpan", "Path", "EqualityContract", "DisplayName"];

    public static string Of(object? value)
    {
        var text = new StringBuilder();
        Write(value, text, 0);
        return text.ToString();
    }

    private static void Write(object? value, StringBuilder text, int depth)
    {
        switch (value)
        {
            case null: text.Append("null"); return;
            case string s: text.Append('"').Append(s).Append('"'); return;
            case LocatedString l: text.Append('"').Append(l.Value).Append('"'); return;
            case ExprValue v: text.Append(v.ToJson(indented: false)); return;
            case SourceSpan: text.Append("span"); return;
            case bool or int or double or Enum: text.Append(value); return;
        }
        var type = value.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Pipeline.Core.Model.Located<>))
        {
            Write(type.GetProperty("Value")!.GetValue(value), text, depth);
            return;
        }
        if (value is IEnumerable items)
        {
            text.Append('[');
            foreach (var item in items) { Write(item, text, depth + 1); text.Append(", "); }
            text.Append(']');
            return;
        }
        text.Append(type.Name).Append(" {\n");
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (Skipped.Contains(p.Name) || p.GetIndexParameters().Length > 0) continue;
            text.Append(' ', (depth + 1) * 2).Append(p.Name).Append(" = ");
            Write(p.GetValue(value), text, depth + 1);
            text.Append('\n');
        }
        text.Append(' ', depth * 2).Append('}');
    }
}
