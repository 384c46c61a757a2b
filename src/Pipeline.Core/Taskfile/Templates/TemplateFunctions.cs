using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Core.Taskfile.Templates;

/// <summary>
/// The functions a Taskfile template can call: Go's builtins, the slim-sprig functions Taskfiles use,
/// and go-task's own (OS, ARCH, joinPath, shellQuote, ...). Sprig's argument order is kept: the value
/// being worked on comes last, so it can be piped (<c>{{.NAME | trimSuffix ".exe" | upper}}</c>).
/// </summary>
internal static class TemplateFunctions
{
    private static readonly Dictionary<string, Func<List<object?>, object?>> Table = new(StringComparer.Ordinal);

    public static bool Exists(string name) => Table.ContainsKey(name);

    public static object? Call(string name, List<object?> args)
    {
        if (!Table.TryGetValue(name, out var function)) throw new TemplateException($"function \"{name}\" not defined");
        try
        {
            return function(args);
        }
        catch (TemplateException) { throw; }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or IndexOutOfRangeException or OverflowException)
        {
            throw new TemplateException($"error calling {name}: {e.Message}");
        }
    }

    private static void Need(List<object?> a, int count, string name)
    {
        if (a.Count != count) throw new TemplateException($"wrong number of args for {name}: want {count} got {a.Count}");
    }

    /// <summary>sprig's strval: how a value reads as a string argument (nil reads as "").</summary>
    internal static string Str(object? v) => v is null ? string.Empty : GoValues.Format(v);

    private static IList ListOf(object? v, string name) => v switch
    {
        null => new List<object?>(),
        IList l when v is not string => l,
        _ => throw new TemplateException($"error calling {name}: cannot use {GoValues.TypeName(v)} as a list"),
    };

    private static IDictionary<string, object?> MapOf(object? v, string name) =>
        v as IDictionary<string, object?> ?? throw new TemplateException($"error calling {name}: cannot use {GoValues.TypeName(v)} as a map");

    private static void Add(string name, Func<List<object?>, object?> f) => Table[name] = f;

    private static void Unary(string name, Func<string, object?> f) => Add(name, a => { Need(a, 1, name); return f(Str(a[0])); });

    static TemplateFunctions()
    {
        AddBuiltins();
        AddStrings();
        AddLists();
        AddMath();
        AddEncodings();
        AddGoTask();
    }

    private static void AddBuiltins()
    {
        Add("not", a => { Need(a, 1, "not"); return !GoValues.IsTrue(a[0]); });
        Add("len", a =>
        {
            Need(a, 1, "len");
            return a[0] switch
            {
                string s => (long)Encoding.UTF8.GetByteCount(s),
                ICollection c => (long)c.Count,
                IDictionary<string, object?> m => (long)m.Count,
                null => throw new TemplateException("error calling len: len of nil pointer"),
                _ => throw new TemplateException($"error calling len: len of type {GoValues.TypeName(a[0])}"),
            };
        });
        Add("index", a =>
        {
            if (a.Count < 1) throw new TemplateException("wrong number of args for index: want at least 1 got 0");
            var value = a[0];
            foreach (var key in a.Skip(1))
            {
                value = value switch
                {
                    IDictionary<string, object?> m => m.TryGetValue(Str(key), out var v) ? v : null,
                    IList l => GoValues.ToLong(key) is var i && i >= 0 && i < l.Count ? l[(int)i] : throw new TemplateException($"error calling index: index out of range: {GoValues.ToLong(key)}"),
                    string s => GoValues.ToLong(key) is var j && j >= 0 && j < s.Length ? (long)s[(int)j] : throw new TemplateException($"error calling index: index out of range: {GoValues.ToLong(key)}"),
                    null => throw new TemplateException("error calling index: index of untyped nil"),
                    _ => throw new TemplateException($"error calling index: can't index item of type {GoValues.TypeName(value)}"),
                };
            }
            return value;
        });
        Add("slice", a =>
        {
            if (a.Count < 1) throw new TemplateException("wrong number of args for slice: want at least 1 got 0");
            var from = a.Count > 1 ? (int)GoValues.ToLong(a[1]) : 0;
            if (a[0] is string s) return s.Substring(from, (a.Count > 2 ? (int)GoValues.ToLong(a[2]) : s.Length) - from);
            var l = ListOf(a[0], "slice").Cast<object?>().ToList();
            var to = a.Count > 2 ? (int)GoValues.ToLong(a[2]) : l.Count;
            return l.GetRange(from, to - from);
        });
        Add("print", a => Sprint(a));
        Add("println", a => string.Join(" ", a.Select(v => v is null ? "<nil>" : GoValues.Format(v))) + "\n");
        Add("printf", a =>
        {
            if (a.Count < 1) throw new TemplateException("wrong number of args for printf: want at least 1 got 0");
            return GoFormat.Sprintf(Str(a[0]), a.Skip(1).ToList());
        });
        Add("eq", a =>
        {
            if (a.Count < 2) throw new TemplateException("missing argument for comparison");
            return a.Skip(1).Any(b => GoValues.AreEqual(a[0], b));
        });
        Add("ne", a => { Need(a, 2, "ne"); return !GoValues.AreEqual(a[0], a[1]); });
        Add("lt", a => { Need(a, 2, "lt"); return GoValues.Compare(a[0], a[1], "lt") < 0; });
        Add("le", a => { Need(a, 2, "le"); return GoValues.Compare(a[0], a[1], "le") <= 0; });
        Add("gt", a => { Need(a, 2, "gt"); return GoValues.Compare(a[0], a[1], "gt") > 0; });
        Add("ge", a => { Need(a, 2, "ge"); return GoValues.Compare(a[0], a[1], "ge") >= 0; });
        Add("urlquery", a => Uri.EscapeDataString(Sprint(a)).Replace("%20", "+"));
        Add("html", a => System.Net.WebUtility.HtmlEncode(Sprint(a)));
    }

    /// <summary>fmt.Sprint: a space between two operands when neither is a string.</summary>
    private static string Sprint(List<object?> a)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < a.Count; i++)
        {
            if (i > 0 && a[i] is not string && a[i - 1] is not string) sb.Append(' ');
            sb.Append(a[i] is null ? "<nil>" : GoValues.Format(a[i]));
        }
        return sb.ToString();
    }

    private static void AddStrings()
    {
        Add("default", a =>
        {
            if (a.Count < 1) throw new TemplateException("wrong number of args for default: want at least 1 got 0");
            return a.Count < 2 || IsEmpty(a[1]) ? a[0] : a[1];
        });
        Add("empty", a => { Need(a, 1, "empty"); return IsEmpty(a[0]); });
        Add("coalesce", a => a.FirstOrDefault(v => !IsEmpty(v)));
        Add("ternary", a => { Need(a, 3, "ternary"); return GoValues.IsTrue(a[2]) ? a[0] : a[1]; });
        Unary("trim", s => s.Trim());
        Unary("upper", s => s.ToUpperInvariant());
        Unary("lower", s => s.ToLowerInvariant());
        Unary("title", s => Regex.Replace(s, @"\b\p{Ll}", m => m.Value.ToUpperInvariant()));
        Unary("nospace", s => new string(s.Where(c => !char.IsWhiteSpace(c)).ToArray()));
        Unary("toString", s => s);
        Add("trimAll", a => { Need(a, 2, "trimAll"); return Str(a[1]).Trim(Str(a[0]).ToCharArray()); });
        Add("trimPrefix", a => { Need(a, 2, "trimPrefix"); var s = Str(a[1]); var p = Str(a[0]); return p.Length > 0 && s.StartsWith(p, StringComparison.Ordinal) ? s.Substring(p.Length) : s; });
        Add("trimSuffix", a => { Need(a, 2, "trimSuffix"); var s = Str(a[1]); var p = Str(a[0]); return p.Length > 0 && s.EndsWith(p, StringComparison.Ordinal) ? s.Substring(0, s.Length - p.Length) : s; });
        Add("contains", a => { Need(a, 2, "contains"); return Str(a[1]).IndexOf(Str(a[0]), StringComparison.Ordinal) >= 0; });
        Add("hasPrefix", a => { Need(a, 2, "hasPrefix"); return Str(a[1]).StartsWith(Str(a[0]), StringComparison.Ordinal); });
        Add("hasSuffix", a => { Need(a, 2, "hasSuffix"); return Str(a[1]).EndsWith(Str(a[0]), StringComparison.Ordinal); });
        Add("replace", a => { Need(a, 3, "replace"); var old = Str(a[0]); return old.Length == 0 ? Str(a[2]) : Str(a[2]).Replace(old, Str(a[1])); });
        Add("repeat", a => { Need(a, 2, "repeat"); return string.Concat(Enumerable.Repeat(Str(a[1]), (int)Math.Max(0, GoValues.ToLong(a[0])))); });
        Add("substr", a =>
        {
            Need(a, 3, "substr");
            var s = Str(a[2]);
            var start = (int)GoValues.ToLong(a[0]);
            var end = (int)GoValues.ToLong(a[1]);
            if (start < 0) return s.Substring(0, Math.Min(Math.Max(end, 0), s.Length));
            if (end < 0 || end > s.Length) return start > s.Length ? string.Empty : s.Substring(start);
            return start > end ? string.Empty : s.Substring(start, end - start);
        });
        Add("trunc", a =>
        {
            Need(a, 2, "trunc");
            var s = Str(a[1]);
            var n = (int)GoValues.ToLong(a[0]);
            if (n < 0) return -n < s.Length ? s.Substring(s.Length + n) : s;
            return n < s.Length ? s.Substring(0, n) : s;
        });
        Add("quote", a => string.Join(" ", a.Where(v => v is not null).Select(v => GoFormat.Quote(Str(v)))));
        Add("squote", a => string.Join(" ", a.Where(v => v is not null).Select(v => "'" + Str(v) + "'")));
        Add("cat", a => string.Join(" ", a.Where(v => v is not null).Select(Str)));
        Add("indent", a => { Need(a, 2, "indent"); var pad = new string(' ', (int)GoValues.ToLong(a[0])); return pad + Str(a[1]).Replace("\n", "\n" + pad); });
        Add("nindent", a => { Need(a, 2, "nindent"); var pad = new string(' ', (int)GoValues.ToLong(a[0])); return "\n" + pad + Str(a[1]).Replace("\n", "\n" + pad); });
        Add("plural", a => { Need(a, 3, "plural"); return GoValues.ToLong(a[2]) == 1 ? Str(a[0]) : Str(a[1]); });
        Add("split", a =>
        {
            Need(a, 2, "split");
            var parts = Str(a[1]).Split(new[] { Str(a[0]) }, StringSplitOptions.None);
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < parts.Length; i++) map["_" + i] = parts[i];
            return map;
        });
        Add("splitList", a => { Need(a, 2, "splitList"); return Str(a[1]).Split(new[] { Str(a[0]) }, StringSplitOptions.None).Cast<object?>().ToList(); });
        Add("splitn", a =>
        {
            Need(a, 3, "splitn");
            var parts = Str(a[2]).Split(new[] { Str(a[0]) }, (int)GoValues.ToLong(a[1]), StringSplitOptions.None);
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < parts.Length; i++) map["_" + i] = parts[i];
            return map;
        });
        Add("join", a => { Need(a, 2, "join"); return string.Join(Str(a[0]), ToStrings(a[1])); });
        Add("toStrings", a => { Need(a, 1, "toStrings"); return ToStrings(a[0]).Cast<object?>().ToList(); });
        Add("regexMatch", a => { Need(a, 2, "regexMatch"); return Regex.IsMatch(Str(a[1]), Str(a[0])); });
        Add("regexFind", a => { Need(a, 2, "regexFind"); return Regex.Match(Str(a[1]), Str(a[0])).Value; });
        Add("regexFindAll", a =>
        {
            Need(a, 3, "regexFindAll");
            var n = GoValues.ToLong(a[2]);
            var matches = Regex.Matches(Str(a[1]), Str(a[0])).Cast<Match>().Select(m => (object?)m.Value);
            return (n < 0 ? matches : matches.Take((int)n)).ToList();
        });
        Add("regexReplaceAll", a => { Need(a, 3, "regexReplaceAll"); return Regex.Replace(Str(a[1]), Str(a[0]), GoReplacement(Str(a[2]))); });
        Add("regexReplaceAllLiteral", a => { Need(a, 3, "regexReplaceAllLiteral"); return Regex.Replace(Str(a[1]), Str(a[0]), Str(a[2]).Replace("$", "$$")); });
        Add("regexSplit", a =>
        {
            Need(a, 3, "regexSplit");
            var n = GoValues.ToLong(a[2]);
            var parts = n < 0 ? Regex.Split(Str(a[1]), Str(a[0])) : new Regex(Str(a[0])).Split(Str(a[1]), (int)n);
            return parts.Cast<object?>().ToList();
        });
        Unary("regexQuoteMeta", Regex.Escape);
    }

    /// <summary>Go writes group references as ${1} or $1; .NET reads the same, except Go's $name means a named group.</summary>
    private static string GoReplacement(string replacement) => replacement;

    internal static bool IsEmpty(object? v) => v switch
    {
        null => true,
        string s => s.Length == 0,
        bool b => !b,
        long l => l == 0,
        int i => i == 0,
        double d => d == 0,
        ICollection c => c.Count == 0,
        IDictionary<string, object?> m => m.Count == 0,
        _ => false,
    };

    private static List<string> ToStrings(object? v) => v switch
    {
        null => new List<string>(),
        string s => new List<string> { s },
        IList l => l.Cast<object?>().Where(x => x is not null).Select(Str).ToList(),
        _ => new List<string> { Str(v) },
    };

    private static void AddLists()
    {
        Add("list", a => a.ToList());
        Add("tuple", a => a.ToList());
        Add("first", a => { Need(a, 1, "first"); var l = ListOf(a[0], "first"); return l.Count > 0 ? l[0] : null; });
        Add("last", a => { Need(a, 1, "last"); var l = ListOf(a[0], "last"); return l.Count > 0 ? l[l.Count - 1] : null; });
        Add("rest", a => { Need(a, 1, "rest"); return ListOf(a[0], "rest").Cast<object?>().Skip(1).ToList(); });
        Add("initial", a => { Need(a, 1, "initial"); var l = ListOf(a[0], "initial").Cast<object?>().ToList(); return l.Take(Math.Max(0, l.Count - 1)).ToList(); });
        Add("reverse", a => { Need(a, 1, "reverse"); var l = ListOf(a[0], "reverse").Cast<object?>().ToList(); l.Reverse(); return l; });
        Add("uniq", a =>
        {
            Need(a, 1, "uniq");
            var result = new List<object?>();
            foreach (var item in ListOf(a[0], "uniq"))
                if (!result.Any(r => SafeEquals(r, item))) result.Add(item);
            return result;
        });
        Add("compact", a => { Need(a, 1, "compact"); return ListOf(a[0], "compact").Cast<object?>().Where(v => !IsEmpty(v)).ToList(); });
        Add("has", a => { Need(a, 2, "has"); return ListOf(a[1], "has").Cast<object?>().Any(v => SafeEquals(v, a[0])); });
        Add("without", a =>
        {
            if (a.Count < 1) throw new TemplateException("wrong number of args for without: want at least 1 got 0");
            return ListOf(a[0], "without").Cast<object?>().Where(v => !a.Skip(1).Any(x => SafeEquals(x, v))).ToList();
        });
        Add("append", a => { Need(a, 2, "append"); var l = ListOf(a[0], "append").Cast<object?>().ToList(); l.Add(a[1]); return l; });
        Add("push", a => { Need(a, 2, "push"); var l = ListOf(a[0], "push").Cast<object?>().ToList(); l.Add(a[1]); return l; });
        Add("prepend", a => { Need(a, 2, "prepend"); var l = ListOf(a[0], "prepend").Cast<object?>().ToList(); l.Insert(0, a[1]); return l; });
        Add("concat", a => a.SelectMany(l => ListOf(l, "concat").Cast<object?>()).ToList());
        Add("sortAlpha", a => { Need(a, 1, "sortAlpha"); return ToStrings(a[0]).OrderBy(s => s, StringComparer.Ordinal).Cast<object?>().ToList(); });
        Add("until", a => { Need(a, 1, "until"); var n = GoValues.ToLong(a[0]); var l = new List<object?>(); for (long i = 0; i < n; i++) l.Add(i); return l; });
        Add("seq", a =>
        {
            var n = a.Select(GoValues.ToLong).ToList();
            var (start, step, end) = n.Count switch { 1 => (1L, 1L, n[0]), 2 => (n[0], n[0] <= n[1] ? 1L : -1L, n[1]), 3 => (n[0], n[1], n[2]), _ => (1L, 1L, 0L) };
            var items = new List<string>();
            for (var i = start; step > 0 ? i <= end : i >= end; i += step)
            {
                items.Add(i.ToString(CultureInfo.InvariantCulture));
                if (step == 0) break;
            }
            return string.Join(" ", items);
        });
        Add("dict", a =>
        {
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < a.Count; i += 2) map[Str(a[i])] = a[i + 1];
            if (a.Count % 2 == 1) map[Str(a[a.Count - 1])] = string.Empty;
            return map;
        });
        Add("get", a => { Need(a, 2, "get"); return MapOf(a[0], "get").TryGetValue(Str(a[1]), out var v) ? v : string.Empty; });
        Add("hasKey", a => { Need(a, 2, "hasKey"); return MapOf(a[0], "hasKey").ContainsKey(Str(a[1])); });
        Add("keys", a => a.SelectMany(m => MapOf(m, "keys").Keys).Cast<object?>().ToList());
        Add("values", a => { Need(a, 1, "values"); return MapOf(a[0], "values").Values.ToList(); });
        Add("pick", a =>
        {
            var map = MapOf(a.FirstOrDefault(), "pick");
            var keys = a.Skip(1).Select(Str).ToList();
            return map.Where(e => keys.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        });
        Add("omit", a =>
        {
            var map = MapOf(a.FirstOrDefault(), "omit");
            var keys = a.Skip(1).Select(Str).ToList();
            return map.Where(e => !keys.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        });
        // go-task's merge: later maps win (sprig's merge keeps the first, but Taskfiles get go-task's)
        Add("merge", a =>
        {
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var m in a)
                foreach (var e in MapOf(m, "merge")) result[e.Key] = e.Value;
            return result;
        });
    }

    private static bool SafeEquals(object? a, object? b)
    {
        try { return GoValues.AreEqual(a, b); }
        catch (TemplateException) { return false; }
    }

    private static void AddMath()
    {
        Add("add1", a => { Need(a, 1, "add1"); return GoValues.ToLong(a[0]) + 1; });
        Add("add", a => a.Aggregate(0L, (s, v) => s + GoValues.ToLong(v)));
        Add("sub", a => { Need(a, 2, "sub"); return GoValues.ToLong(a[0]) - GoValues.ToLong(a[1]); });
        Add("mul", a => a.Aggregate(1L, (s, v) => s * GoValues.ToLong(v)));
        Add("div", a =>
        {
            Need(a, 2, "div");
            var d = GoValues.ToLong(a[1]);
            if (d == 0) throw new TemplateException("error calling div: integer divide by zero");
            return GoValues.ToLong(a[0]) / d;
        });
        Add("mod", a =>
        {
            Need(a, 2, "mod");
            var d = GoValues.ToLong(a[1]);
            if (d == 0) throw new TemplateException("error calling mod: integer divide by zero");
            return GoValues.ToLong(a[0]) % d;
        });
        Add("max", a => a.Count == 0 ? 0L : a.Max(GoValues.ToLong));
        Add("min", a => a.Count == 0 ? 0L : a.Min(GoValues.ToLong));
        Add("int", a => { Need(a, 1, "int"); return GoValues.ToLong(a[0]); });
        Add("int64", a => { Need(a, 1, "int64"); return GoValues.ToLong(a[0]); });
        Add("atoi", a => { Need(a, 1, "atoi"); return long.TryParse(Str(a[0]), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : 0L; });
        Add("float64", a => { Need(a, 1, "float64"); return a[0] is null ? 0d : GoValues.ToDouble(a[0]!); });
        Add("floor", a => { Need(a, 1, "floor"); return Math.Floor(a[0] is null ? 0 : GoValues.ToDouble(a[0]!)); });
        Add("ceil", a => { Need(a, 1, "ceil"); return Math.Ceiling(a[0] is null ? 0 : GoValues.ToDouble(a[0]!)); });
    }

    private static void AddEncodings()
    {
        Add("toJson", a => { Need(a, 1, "toJson"); return GoValues.ToJson(a[0]); });
        Add("mustToJson", a => { Need(a, 1, "mustToJson"); return GoValues.ToJson(a[0]); });
        Add("fromJson", a => { Need(a, 1, "fromJson"); return GoValues.FromJson(Str(a[0]), out _); });
        Add("mustFromJson", a =>
        {
            Need(a, 1, "mustFromJson");
            var value = GoValues.FromJson(Str(a[0]), out var error);
            if (error is not null) throw new TemplateException($"error calling mustFromJson: {error}");
            return value;
        });
        Unary("b64enc", s => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)));
        Unary("b64dec", s => Encoding.UTF8.GetString(Convert.FromBase64String(s)));
        Unary("sha256sum", s => Hex(SHA256.Create().ComputeHash(Encoding.UTF8.GetBytes(s))));
        Unary("sha1sum", s => Hex(SHA1.Create().ComputeHash(Encoding.UTF8.GetBytes(s))));
        Unary("base", s => s.Length == 0 ? "." : Path.GetFileName(s.TrimEnd('/')) is { Length: > 0 } b ? b : "/");
        Unary("dir", s => Path.GetDirectoryName(s) is { Length: > 0 } d ? d.Replace('\\', '/') : (s.StartsWith("/", StringComparison.Ordinal) ? "/" : "."));
        Unary("ext", Path.GetExtension);
        Unary("clean", s => CleanPath(s));
        Unary("isAbs", s => s.StartsWith("/", StringComparison.Ordinal));
        Unary("env", s => Environment.GetEnvironmentVariable(s) ?? string.Empty);
        Unary("expandenv", s => Regex.Replace(s, @"\$\{?(\w+)\}?", m => Environment.GetEnvironmentVariable(m.Groups[1].Value) ?? string.Empty));
        Add("typeOf", a => { Need(a, 1, "typeOf"); return GoValues.TypeName(a[0]); });
        Add("kindOf", a => { Need(a, 1, "kindOf"); return Kind(a[0]); });
        Add("kindIs", a => { Need(a, 2, "kindIs"); return Kind(a[1]) == Str(a[0]); });
    }

    private static string Kind(object? v) => v switch
    {
        null => "invalid",
        string => "string",
        bool => "bool",
        long or int => "int",
        double => "float64",
        IDictionary<string, object?> => "map",
        IList => "slice",
        _ => "struct",
    };

    private static string Hex(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

    /// <summary>Go's path.Clean: no empty, '.' or '..' elements where they can be resolved.</summary>
    internal static string CleanPath(string path)
    {
        if (path.Length == 0) return ".";
        var rooted = path.StartsWith("/", StringComparison.Ordinal);
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == ".." && parts.Count > 0 && parts[parts.Count - 1] != "..") parts.RemoveAt(parts.Count - 1);
            else if (part == ".." && rooted) continue;
            else parts.Add(part);
        }
        var joined = string.Join("/", parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    private static void AddGoTask()
    {
        Add("OS", _ => GoPlatform.Os);
        Add("ARCH", _ => GoPlatform.Arch);
        Add("numCPU", _ => (long)Environment.ProcessorCount);
        Unary("catLines", s => s.Replace("\r\n", " ").Replace('\n', ' '));
        Unary("splitLines", s => s.Replace("\r\n", "\n").Split('\n').Cast<object?>().ToList());
        Unary("fromSlash", s => s.Replace('/', Path.DirectorySeparatorChar));
        Unary("toSlash", s => s.Replace(Path.DirectorySeparatorChar, '/'));
        Add("exeExt", _ => RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? ".exe" : string.Empty);
        Unary("shellQuote", ShellWords.Quote);
        Unary("q", ShellWords.Quote);
        Unary("splitArgs", s => ShellWords.Split(s).Cast<object?>().ToList());
        Add("joinPath", a => CleanPath(string.Join("/", a.Select(Str).Where(s => s.Length > 0))));
        Add("joinEnv", a => string.Join(Path.PathSeparator.ToString(), a.Select(Str)));
        Add("joinUrl", a => string.Join("/", a.Select(Str).Select((s, i) => i == 0 ? s.TrimEnd('/') : s.Trim('/'))));
        Add("relPath", a =>
        {
            Need(a, 2, "relPath");
            return MakeRelative(Str(a[0]), Str(a[1]));
        });
        Unary("absPath", s => Path.GetFullPath(s));
        Add("uuid", _ => Guid.NewGuid().ToString());
        Add("uuidv4", _ => Guid.NewGuid().ToString());
        Add("randInt", a => { Need(a, 2, "randInt"); return (long)new Random().Next((int)GoValues.ToLong(a[0]), (int)GoValues.ToLong(a[1])); });
        Add("randIntN", a => { Need(a, 1, "randIntN"); return (long)new Random().Next((int)GoValues.ToLong(a[0])); });
        Add("now", _ => DateTimeOffset.Now);
        Add("date", a => { Need(a, 2, "date"); return GoTime.Format(GoTime.ToTime(a[1]), Str(a[0])); });
        Add("dateInZone", a =>
        {
            Need(a, 3, "dateInZone");
            var time = GoTime.ToTime(a[1]);
            return GoTime.Format(Str(a[2]) is "UTC" or "utc" ? time.ToUniversalTime() : time, Str(a[0]));
        });
        Add("htmlDate", a => { Need(a, 1, "htmlDate"); return GoTime.Format(GoTime.ToTime(a[0]), "2006-01-02"); });
        Add("unixEpoch", a => { Need(a, 1, "unixEpoch"); return GoTime.ToTime(a[0]).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture); });
        Add("spew", a => { Need(a, 1, "spew"); return "(" + GoValues.TypeName(a[0]) + ") " + GoValues.Format(a[0]) + "\n"; });
    }

    private static string MakeRelative(string basePath, string target)
    {
        var from = CleanPath(basePath).Split('/').Where(p => p.Length > 0).ToList();
        var to = CleanPath(target).Split('/').Where(p => p.Length > 0).ToList();
        var common = 0;
        while (common < from.Count && common < to.Count && from[common] == to[common]) common++;
        var parts = Enumerable.Repeat("..", from.Count - common).Concat(to.Skip(common)).ToList();
        return parts.Count == 0 ? "." : string.Join("/", parts);
    }
}
