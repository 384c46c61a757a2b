using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Pipeline.Core.Taskfile.Templates;

/// <summary>The part of Go's fmt that templates use: printf verbs %v %s %d %f %q %t %x %%, with width and precision.</summary>
internal static class GoFormat
{
    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%' || i + 1 >= format.Length)
            {
                sb.Append(c);
                continue;
            }
            var start = i++;
            var leftAlign = false;
            var zeroPad = false;
            while (i < format.Length && format[i] is '-' or '0' or '+' or ' ' or '#')
            {
                if (format[i] == '-') leftAlign = true;
                if (format[i] == '0') zeroPad = true;
                i++;
            }
            var width = ReadInt(format, ref i);
            int? precision = null;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                precision = ReadInt(format, ref i) ?? 0;
            }
            if (i >= format.Length)
            {
                sb.Append(format.Substring(start));
                break;
            }
            var verb = format[i];
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }
            if (next >= args.Count)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }
            var text = FormatOne(verb, args[next++], precision);
            if (width is { } w && text.Length < w)
                text = leftAlign ? text.PadRight(w) : text.PadLeft(w, zeroPad && verb is 'd' or 'f' ? '0' : ' ');
            sb.Append(text);
        }
        if (next < args.Count)
        {
            sb.Append("%!(EXTRA ");
            for (var k = next; k < args.Count; k++)
            {
                if (k > next) sb.Append(", ");
                sb.Append(GoValues.TypeName(args[k])).Append('=').Append(GoValues.Format(args[k]));
            }
            sb.Append(')');
        }
        return sb.ToString();
    }

    private static int? ReadInt(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && char.IsDigit(s[i])) i++;
        return i > start ? int.Parse(s.Substring(start, i - start), CultureInfo.InvariantCulture) : null;
    }

    private static string FormatOne(char verb, object? arg, int? precision)
    {
        switch (verb)
        {
            case 'v' or 's':
                var s = arg is null ? (verb == 's' ? "%!s(<nil>)" : "<nil>") : GoValues.Format(arg);
                return precision is { } p && p < s.Length && verb == 's' ? s.Substring(0, p) : s;
            case 'd':
                return GoValues.IsNumber(arg) && arg is not double ? GoValues.ToLong(arg).ToString(CultureInfo.InvariantCulture) : $"%!d({GoValues.TypeName(arg)}={GoValues.Format(arg)})";
            case 'f' or 'F':
                return GoValues.IsNumber(arg) ? GoValues.ToDouble(arg!).ToString("F" + (precision ?? 6), CultureInfo.InvariantCulture) : $"%!f({GoValues.TypeName(arg)}={GoValues.Format(arg)})";
            case 'q':
                return Quote(arg is null ? "<nil>" : GoValues.Format(arg));
            case 't':
                return arg is bool b ? (b ? "true" : "false") : $"%!t({GoValues.TypeName(arg)}={GoValues.Format(arg)})";
            case 'x' or 'X':
            {
                string hex;
                if (GoValues.IsNumber(arg) && arg is not double) hex = GoValues.ToLong(arg).ToString("x", CultureInfo.InvariantCulture);
                else
                {
                    var bytes = Encoding.UTF8.GetBytes(arg is null ? string.Empty : GoValues.Format(arg));
                    var hb = new StringBuilder();
                    foreach (var by in bytes) hb.Append(by.ToString("x2", CultureInfo.InvariantCulture));
                    hex = hb.ToString();
                }
                return verb == 'X' ? hex.ToUpperInvariant() : hex;
            }
            default:
                return $"%!{verb}({GoValues.TypeName(arg)}={GoValues.Format(arg)})";
        }
    }

    /// <summary>strconv.Quote: a double-quoted Go string literal.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f) sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
