using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Pipeline.Cli.Tests;

/// <summary>
/// A canary secret printed in every disguise a task can give it, through every display mode and a
/// retried and a failing task, must not be readable anywhere afterwards: console output, logs,
/// report, every table of the state database, workflow status and history. The search does not
/// reuse the masker's list of forms: it decodes what it finds (Base64 runs, wrapped lines joined,
/// at every alignment; percent-encoding; JSON escapes) and looks for the canary in the result.
/// </summary>
public sealed class SecretCanaryTests
{
    private const string Canary = "Cn4ry/t0k\\en \"x\"+é&=;";
    private const string Key = "-----BEGIN CANARY KEY-----\nQ2FuYXJ5S2V5TGluZU9uZQ\nU2Vjb25kS2V5TGluZVR3bw\n-----END CANARY KEY-----";
    private const string ParameterCanary = "p4ram-Canary-Value";

    private const string Forms = """
        import base64, json, os, re, sys, urllib.parse
        t = os.environ["T"]; k = os.environ["K"]
        b = t.encode()
        print("raw", t)
        print("b64nl", base64.b64encode(b + b"\n").decode())
        print("b64basic", base64.b64encode(b"user:" + b).decode())
        print("b64mid", base64.b64encode(b"ab" + b + b"tail").decode())
        print("b64url", base64.urlsafe_b64encode(b).decode())
        print(base64.encodebytes(b"x" * 50 + b + b"y" * 30).decode())
        print("quote", urllib.parse.quote(t))
        print("quoteplus", urllib.parse.quote_plus(t))
        print("lower", re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), urllib.parse.quote(t, safe="")))
        print("json", json.dumps(t))
        print("jsonascii", json.dumps({"t": t}, ensure_ascii=True))
        print(k)
        print(base64.encodebytes(k.encode()).decode())
        print("param", os.environ["API_TOKEN"], base64.b64encode(os.environ["API_TOKEN"].encode()).decode())
        with open(os.environ["WORKFLOW_OUTPUT"], "a") as f: f.write("leak=" + t + "\n")
        sys.stderr.write("err " + t + "\n")
        """;

    private static string Project()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "forms.py"), Forms);
        File.WriteAllText(Path.Combine(dir, "canary.workflow.json"), """
            { "name": "canary",
              "secrets": [ { "name": "token", "from": "CANARY_TOKEN" }, { "name": "key", "from": "CANARY_KEY" } ],
              "environment": { "T": "${secrets.token}", "K": "${secrets.key}" },
              "tasks": [
                { "id": "forms", "type": "shell", "command": "python3 forms.py" },
                { "id": "flaky", "type": "shell", "command": "printf '%s\\n' \"$T\" >&2; exit 3", "retry": { "attempts": 2, "delay": 10 }, "continue_on_error": true },
                { "id": "fails", "type": "shell", "command": "printf 'out %s\\n' \"$T\"; printf '%s\\n' \"$K\" >&2; exit 1", "depends_on": ["forms", "flaky"] }
              ] }
            """);
        return dir;
    }

    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["CANARY_TOKEN"] = Canary,
        ["CANARY_KEY"] = Key,
    };

    private static string RunWorkflow(string dir, params string[] mode)
    {
        var (code, stdout, stderr) = WorkflowProcess.RunWithEnvironment(dir, Secrets,
            ["run", "canary.workflow.json", "-e", "API_TOKEN=" + ParameterCanary, .. mode]);
        Assert.True(code == 1, $"exit {code} (the 'fails' task fails the run): {stdout}{stderr}");
        return stdout + stderr;
    }

    /// <summary>The live display, on a real pseudo-terminal.</summary>
    private static string RunLive(string dir)
    {
        var psi = new ProcessStartInfo("script") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var a in new[] { "-qfec", $"'{WorkflowProcess.Host}' '{WorkflowProcess.Dll}' run canary.workflow.json -e API_TOKEN={ParameterCanary} --verbose", "/dev/null" })
            psi.ArgumentList.Add(a);
        psi.Environment["TERM"] = "xterm";
        foreach (var (k, v) in Secrets) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "the live run did not finish");
        return output.Result;
    }

    [Fact]
    public void The_canary_is_masked_everywhere_in_every_display_mode()
    {
        var dir = Project();
        var places = new List<(string Where, string Text)>
        {
            ("--quiet", RunWorkflow(dir, "--quiet")),
            ("plain", RunWorkflow(dir)),
            ("--verbose", RunWorkflow(dir, "--verbose")),
            ("--format json", RunWorkflow(dir, "--format", "json")),
            ("live --verbose", RunLive(dir)),
        };
        // The plain display shows a failed task's last lines and a retried attempt's error: both held the canary.
        Assert.Contains("✗ fails failed", places[1].Text);
        Assert.Contains("flaky: attempt 1 failed: exited with code 3: ***", places[1].Text);

        var ids = JsonDocument.Parse(WorkflowProcess.Run(dir, "history", "--format", "json").Stdout).RootElement
            .EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.Equal(5, ids.Count);
        foreach (var id in ids)
        {
            places.Add(($"status {id}", WorkflowProcess.Run(dir, "status", id).Stdout));
            places.Add(($"status {id} json", WorkflowProcess.Run(dir, "status", id, "--format", "json").Stdout));
        }
        places.Add(("history", WorkflowProcess.Run(dir, "history").Stdout));
        foreach (var file in Directory.GetFiles(Path.Combine(dir, ".workflow", "runs"), "*", SearchOption.AllDirectories))
            places.Add((file, File.ReadAllText(file)));
        places.Add(("state.db", DumpDatabase(Path.Combine(dir, ".workflow", "state.db"))));

        // The search itself must find the canary where it is, or it proves nothing.
        Assert.NotEmpty(Leaks("raw " + Canary));
        Assert.NotEmpty(Leaks(Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + Canary))));
        Assert.NotEmpty(Leaks(JsonSerializer.Serialize(Canary)));
        Assert.NotEmpty(Leaks(Regex.Replace(Uri.EscapeDataString(Canary), "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant())));

        var leaks = places.SelectMany(p => Leaks(p.Text).Select(l => $"{p.Where}: {l}")).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
        Assert.Contains(places, p => p.Where == "state.db" && p.Text.Contains("\"leak\":\"***\""));
    }

    /// <summary>Every table of the store, as text.</summary>
    private static string DumpDatabase(string path)
    {
        var text = new StringBuilder();
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using var r = list.ExecuteReader();
            while (r.Read()) tables.Add(r.GetString(0));
        }
        foreach (var table in tables)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            using var r = select.ExecuteReader();
            while (r.Read())
                for (var i = 0; i < r.FieldCount; i++)
                    text.Append(r.IsDBNull(i) ? "" : Convert.ToString(r.GetValue(i))).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Where the canary can be read in <paramref name="text"/>, decoding what could hide it.</summary>
    private static List<string> Leaks(string text)
    {
        var leaks = new List<string>();
        var secrets = new[] { Canary, ParameterCanary }.Concat(Key.Split('\n').Where(l => l.Length >= 16)).ToList();
        void Check(string how, string decoded)
        {
            foreach (var s in secrets)
                if (decoded.Contains(s, StringComparison.Ordinal)) leaks.Add($"{how}: {s}");
        }
        Check("as written", text);
        Check("percent-decoded", Unpercent(text, plusIsSpace: false));
        Check("form-decoded", Unpercent(text, plusIsSpace: true));
        Check("JSON-unescaped", Regex.Replace(text, @"\\(u[0-9a-fA-F]{4}|.)", m => m.Groups[1].Value.Length == 5
            ? ((char)Convert.ToInt32(m.Groups[1].Value[1..], 16)).ToString()
            : m.Groups[1].Value switch { "n" => "\n", "t" => "\t", var c => c }));
        // Base64: lines made only of its alphabet are joined (wrapped output), then every run is decoded at every alignment.
        var joined = Regex.Replace(text, @"(?<=^[A-Za-z0-9+/=_-]{8,})\r?\n(?=[A-Za-z0-9+/=_-]{4,}$)", "", RegexOptions.Multiline);
        foreach (Match run in Regex.Matches(joined, "[A-Za-z0-9+/_-]{8,}"))
            for (var start = 0; start < 4; start++)
            {
                var piece = run.Value[start..].Replace('-', '+').Replace('_', '/');
                piece = piece[..(piece.Length / 4 * 4)];
                try { Check("base64-decoded", Encoding.UTF8.GetString(Convert.FromBase64String(piece))); }
                catch (FormatException) { }
            }
        return leaks;
    }

    private static string Unpercent(string text, bool plusIsSpace)
    {
        var bytes = new List<byte>();
        var source = Encoding.UTF8.GetBytes(text);
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == '%' && i + 2 < source.Length && Uri.IsHexDigit((char)source[i + 1]) && Uri.IsHexDigit((char)source[i + 2]))
            {
                bytes.Add(Convert.ToByte(Encoding.ASCII.GetString(source, i + 1, 2), 16));
                i += 2;
            }
            else bytes.Add(plusIsSpace && source[i] == '+' ? (byte)' ' : source[i]);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    [Fact]
    public void A_secret_too_short_to_mask_stops_the_run_before_it_starts()
    {
        var dir = Project();
        var (code, stdout, stderr) = WorkflowProcess.RunWithEnvironment(dir, new Dictionary<string, string> { ["CANARY_TOKEN"] = "ab", ["CANARY_KEY"] = Key },
            "run", "canary.workflow.json", "-e", "API_TOKEN=" + ParameterCanary);
        Assert.Equal(2, code);
        Assert.Contains("error WF4012: secret 'token' (from CANARY_TOKEN) cannot be masked: it is 2 characters long", stderr);
        Assert.False(Directory.Exists(Path.Combine(dir, ".workflow", "runs")), "nothing ran");
        Assert.DoesNotContain("ab", stdout);
    }

    [Fact]
    public void A_taskfile_secret_set_on_the_command_line_is_masked_and_stored_masked()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "Taskfile.yml"), """
            version: '3'
            vars:
              TOKEN:
                value: default-token-value
                secret: true
            tasks:
              default:
                cmds:
                  - echo "using {{.TOKEN}} and {{.OTHER_PASSWORD}}"
                  - printf '%s' "{{.TOKEN}}" | base64
            """);
        var (code, stdout, stderr) = WorkflowProcess.Run(dir, "run", "-t", "Taskfile.yml", "TOKEN=" + ParameterCanary, "OTHER_PASSWORD=second-" + ParameterCanary);
        Assert.True(code == 0, stdout + stderr);
        var history = JsonDocument.Parse(WorkflowProcess.Run(dir, "history", "--format", "json").Stdout).RootElement[0];
        var status = WorkflowProcess.Run(dir, "status", history.GetProperty("id").GetString()!, "--format", "json").Stdout;
        var places = new List<string> { stdout, stderr, status, DumpDatabase(Path.Combine(dir, ".workflow", "state.db")) };
        places.AddRange(Directory.GetFiles(Path.Combine(dir, ".workflow", "runs"), "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.All(places, text => Assert.Empty(Leaks(text)));
        Assert.Contains("using *** and ***", stdout);
        Assert.Contains("\"TOKEN\":\"***\"", DumpDatabase(Path.Combine(dir, ".workflow", "state.db")));

        var (shortCode, _, shortError) = WorkflowProcess.Run(dir, "run", "-t", "Taskfile.yml", "TOKEN=ab");
        Assert.Equal(2, shortCode);
        Assert.Contains("secret variable \"TOKEN\" cannot be masked", shortError);
    }
}
