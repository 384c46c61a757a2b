using System.Text.Json;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Tests;

/// <summary>sql tasks against a real SQLite file.</summary>
public sealed class SqliteSqlTaskTests : SqlTaskTests
{
    protected override string Connection => "Data Source=" + Path.Combine(Harness.Folder, "app.db");
    protected override string LongQuery => "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";
}

/// <summary>sql tasks against the real PostgreSQL server the tests start (a schema of its own).</summary>
public sealed class PostgresSqlTaskTests : SqlTaskTests
{
    private readonly Pipeline.Testing.PostgresTestSchema _schema = new();

    protected override string Connection => _schema.ConnectionString;
    protected override string LongQuery => "SELECT pg_sleep(60)";

    public override void Dispose()
    {
        base.Dispose();
        _schema.Dispose();
    }

    [Fact]
    public async Task An_unreachable_server_is_named_by_host_and_port_never_by_its_password()
    {
        var run = await Harness.RunTasks("""[{ "id": "q", "type": "sql", "provider": "postgres", "connection": "${secrets.DB}", "query": "SELECT 1" }]""",
            "\"secrets\": [\"DB\"]", new RunOptions { Secrets = new Dictionary<string, string> { ["DB"] = "postgresql://app:hunter2-canary@127.0.0.1:1/appdb" } });
        var error = run.Task("q").Error!;
        Assert.Contains("cannot reach PostgreSQL 127.0.0.1:1/appdb", error);
        Assert.DoesNotContain("hunter2-canary", error);
    }
}

/// <summary>What a sql task does on every database: parameters bound, results as outputs and a table, transactions rolled back.</summary>
public abstract class SqlTaskTests : IDisposable
{
    protected EngineHarness Harness { get; } = new();
    protected abstract string Connection { get; }
    protected abstract string LongQuery { get; }

    public virtual void Dispose()
    {
        Harness.Dispose();
        GC.SuppressFinalize(this);
    }

    private RunOptions WithDb() => new() { Secrets = new Dictionary<string, string> { ["DB"] = Connection } };

    private Task<RunResult> Run(string tasks) => Harness.RunTasks(tasks, "\"secrets\": [\"DB\"]", WithDb());

    private const string Setup = """{ "id": "setup", "type": "sql", "connection": "${secrets.DB}", "query": "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO items (id, name) VALUES (1, 'alpha'), (2, 'beta'), (3, 'gamma')" }""";

    [Fact]
    public async Task Rows_come_back_as_outputs_and_a_table_and_parameters_are_bound_never_spliced()
    {
        var run = await Run($$"""
            [ {{Setup}},
              { "id": "find", "type": "sql", "connection": "${secrets.DB}", "depends_on": ["setup"],
                "query": "SELECT id, name FROM items WHERE id >= @min ORDER BY id", "parameters": { "min": "2" } },
              { "id": "evil", "type": "sql", "connection": "${secrets.DB}", "depends_on": ["find"],
                "query": "INSERT INTO items (id, name) VALUES (4, @name)", "parameters": { "name": "x'); DROP TABLE items; --" } },
              { "id": "after", "type": "sql", "connection": "${secrets.DB}", "depends_on": ["evil"], "query": "SELECT count(*) AS n, max(name) AS last FROM items" },
              { "id": "use", "type": "shell", "depends_on": ["after"], "command": "echo \"first=${tasks.find.outputs.name} n=${tasks.after.outputs.n}\"" } ]
            """);
        Assert.True(run.Status == RunStatus.Succeeded, string.Join("; ", run.Tasks.Select(t => $"{t.InstanceId}: {t.Error}")));
        var find = run.Task("find");
        Assert.Equal("2", find.Outputs["row_count"]);
        using var rows = JsonDocument.Parse(find.Outputs["rows"]);
        Assert.Equal(["beta", "gamma"], rows.RootElement.EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(2, rows.RootElement[0].GetProperty("id").GetInt64());
        Assert.Equal("beta", find.Outputs["name"]); // the first row's columns
        Assert.Equal(["id | name", "---+------", "2  | beta", "3  | gamma", "(2 rows)"], Harness.Lines("find"));
        Assert.Equal("1", run.Task("evil").Outputs["affected"]);
        Assert.Equal("x'); DROP TABLE items; --", run.Task("after").Outputs["last"]); // stored as a value; the table is still there
        Assert.Equal(["first=beta n=4"], Harness.Lines("use"));
    }

    [Fact]
    public async Task A_failing_statement_in_a_transaction_leaves_nothing_behind()
    {
        var run = await Run($$"""
            [ {{Setup}},
              { "id": "batch", "type": "sql", "connection": "${secrets.DB}", "depends_on": ["setup"], "transaction": true,
                "query": "INSERT INTO items (id, name) VALUES (10, 'ten'); INSERT INTO items (id, name) VALUES (11, NULL)" },
              { "id": "count", "type": "sql", "connection": "${secrets.DB}", "depends_on": ["batch"], "condition": "always()", "query": "SELECT count(*) AS n FROM items" } ]
            """);
        Assert.Equal(TaskState.Failed, run.Task("batch").State);
        Assert.Contains("the transaction was rolled back", run.Task("batch").Error);
        Assert.Equal("3", run.Task("count").Outputs["n"]);
    }

    [Fact]
    public async Task A_timeout_stops_the_query_and_rolls_its_transaction_back()
    {
        var run = await Run($$"""
            [ {{Setup}},
              { "id": "slow", "type": "sql", "connection": "${secrets.DB}", "depends_on": ["setup"], "transaction": true, "timeout": 1,
                "file": "slow.sql" },
              { "id": "count", "type": "sql", "connection": "${secrets.DB}", "depends_on": ["slow"], "condition": "always()", "query": "SELECT count(*) AS n FROM items" } ]
            """.Replace("slow.sql", WriteSlow()));
        Assert.Equal(TaskState.TimedOut, run.Task("slow").State);
        Assert.Equal("3", run.Task("count").Outputs["n"]);
    }

    private string WriteSlow()
    {
        File.WriteAllText(Path.Combine(Harness.Folder, "slow.sql"), "INSERT INTO items (id, name) VALUES (20, 'twenty');\n" + LongQuery + ";\n");
        return "slow.sql";
    }

    private void Migration(string name, string text)
    {
        Directory.CreateDirectory(Path.Combine(Harness.Folder, "migrations"));
        File.WriteAllText(Path.Combine(Harness.Folder, "migrations", name), text);
    }

    private const string Migrate = """{ "id": "migrate", "type": "sql", "connection": "${secrets.DB}", "migrations": "migrations" }""";
    private const string CountItems = """{ "id": "count", "type": "sql", "connection": "${secrets.DB}", "depends_on": ["migrate"], "condition": "always()", "query": "SELECT count(*) AS n FROM items" }""";

    [Fact]
    public async Task Migrations_are_applied_in_order_and_each_only_once()
    {
        Migration("001_items.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\nINSERT INTO items (id, name) VALUES (1, 'alpha');\n");
        Migration("002_more.sql", "-- a second file\nINSERT INTO items (id, name) VALUES (2, 'beta');\n");
        var first = await Run($"[ {Migrate}, {CountItems} ]");
        Assert.Equal(("2", "2"), (first.Task("migrate").Outputs["applied"], first.Task("count").Outputs["n"]));
        Assert.Contains("001_items.sql: applied", Harness.Lines("migrate"));

        Migration("003_gamma.sql", "INSERT INTO items (id, name) VALUES (3, 'gamma');");
        var second = await Run($"[ {Migrate}, {CountItems} ]");
        Assert.Equal(("1", "3"), (second.Task("migrate").Outputs["applied"], second.Task("count").Outputs["n"]));
        Assert.Equal("[\"003_gamma.sql\"]", second.Task("migrate").Outputs["applied_files"]);
    }

    [Fact]
    public async Task A_failing_migration_is_rolled_back_whole_with_its_line_and_later_files_wait()
    {
        Migration("001_items.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);");
        Migration("002_bad.sql", "INSERT INTO items (id, name) VALUES (1, 'kept only if all of it works');\n\nINSERT INTO items (id, name) VALUES (2, NULL);\n");
        Migration("003_later.sql", "INSERT INTO items (id, name) VALUES (3, 'later');");
        var run = await Run($"[ {Migrate}, {CountItems} ]");
        var migrate = run.Task("migrate");
        Assert.Equal(TaskState.Failed, migrate.State);
        Assert.Contains(Path.Combine(Harness.Folder, "migrations", "002_bad.sql") + "(3): ", migrate.Error);
        Assert.Contains("this file was rolled back and the 1 after it were not applied", migrate.Error);
        Assert.Equal("0", run.Task("count").Outputs["n"]); // nothing of 002 (its first line included), nothing of 003

        Migration("002_bad.sql", "INSERT INTO items (id, name) VALUES (1, 'fixed');"); // never applied, so it may change
        var fixedRun = await Run($"[ {Migrate}, {CountItems} ]");
        Assert.Equal(("2", "2"), (fixedRun.Task("migrate").Outputs["applied"], fixedRun.Task("count").Outputs["n"]));
    }

    [Fact]
    public async Task An_applied_migration_that_changed_is_refused_unless_allowed()
    {
        Migration("001_items.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);");
        Assert.Equal(RunStatus.Succeeded, (await Run($"[ {Migrate} ]")).Status);
        Migration("001_items.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, extra TEXT);");
        var refused = await Run($"[ {Migrate} ]");
        Assert.Contains("001_items.sql: was changed after it was applied", refused.Task("migrate").Error);
        var allowed = await Run($"[ {Migrate.Replace("\"migrations\" }", "\"migrations\", \"allow_changed\": true }")} ]");
        Assert.Equal(RunStatus.Succeeded, allowed.Status);
        Assert.Equal("0", allowed.Task("migrate").Outputs["applied"]);
        Assert.Equal(RunStatus.Succeeded, (await Run($"[ {Migrate} ]")).Status); // the new checksum was recorded
    }

    private async Task<Pipeline.Engine.Executors.Sql.MigrationPreview.TaskMigrations> Preview()
    {
        var path = Harness.Write("preview.workflow.json", $$"""
            { "name": "preview", "environment": { "DB_URL": {{JsonSerializer.Serialize(Connection)}} },
              "tasks": [ { "id": "migrate", "type": "sql", "connection": "${env.DB_URL}", "migrations": "migrations" } ] }
            """);
        var previews = await Pipeline.Engine.Executors.Sql.MigrationPreview.ReadAsync(EngineHarness.Plan(path).Workflow, new Dictionary<string, string>(), CancellationToken.None);
        return Assert.Single(previews);
    }

    [Fact]
    public async Task A_dry_run_preview_lists_pending_and_changed_migrations_and_writes_nothing()
    {
        Migration("001_items.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);");
        Migration("002_more.sql", "INSERT INTO items (id, name) VALUES (2, 'beta');");
        var before = await Preview();
        Assert.Null(before.Problem);
        Assert.Equal(["001_items.sql", "002_more.sql"], before.Pending);
        Assert.Equal(["001_items.sql", "002_more.sql"], (await Preview()).Pending); // the first look recorded nothing

        Assert.Equal("2", (await Run($"[ {Migrate} ]")).Task("migrate").Outputs["applied"]);
        Migration("003_gamma.sql", "INSERT INTO items (id, name) VALUES (3, 'gamma');");
        Migration("001_items.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, extra TEXT);");
        var after = await Preview();
        Assert.Equal(["003_gamma.sql"], after.Pending);
        Assert.Equal(["001_items.sql"], after.Changed);
        Assert.Matches("^(SQLite|PostgreSQL) ", after.Database);
    }

    [Fact]
    public async Task A_sql_task_in_rollback_runs_a_down_migration_so_the_next_run_applies_it_again()
    {
        Migration("001_items.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);");
        Directory.CreateDirectory(Path.Combine(Harness.Folder, "migrations", "down"));
        File.WriteAllText(Path.Combine(Harness.Folder, "migrations", "down", "001_items.sql"), "DROP TABLE items;\nDELETE FROM pipeline_migrations WHERE file = '001_items.sql';\n");
        var tasks = $$"""
            [ {{Migrate}},
              { "id": "deploy", "type": "shell", "depends_on": ["migrate"], "command": "exit 3" },
              { "id": "down", "type": "sql", "connection": "${secrets.DB}", "depends_on": ["migrate"], "transaction": true, "file": "migrations/down/001_items.sql" } ]
            """;
        var run = await Harness.RunTasks(tasks, "\"secrets\": [\"DB\"], \"rollback\": [\"down\"]", WithDb());
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(TaskState.Succeeded, run.Task("rollback/down").State);
        var probe = await Run("""[ { "id": "probe", "type": "sql", "connection": "${secrets.DB}", "query": "SELECT count(*) AS n FROM pipeline_migrations" } ]""");
        Assert.Equal("0", probe.Task("probe").Outputs["n"]);
        Assert.Equal(["001_items.sql"], (await Preview()).Pending); // the table is gone, and so is its record
        Assert.Equal("1", (await Run($"[ {Migrate} ]")).Task("migrate").Outputs["applied"]);
    }
}

/// <summary>Where the statements of a migration script start and end, so a failing one is named by its line.</summary>
public sealed class SqlScriptTests
{
    [Fact]
    public void Semicolons_inside_quotes_dollar_quotes_and_comments_do_not_split()
    {
        const string script = """
            -- a comment; with a semicolon
            INSERT INTO t VALUES ('a;b', 'it''s; fine');
            /* block; comment */
            CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
            SELECT "odd;name" FROM t
            """;
        var statements = Pipeline.Engine.Executors.Sql.SqlScript.Statements(script).Select(s => script[s.Start..s.End]).ToList();
        Assert.Equal(
        [
            "INSERT INTO t VALUES ('a;b', 'it''s; fine')",
            "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql",
            "SELECT \"odd;name\" FROM t",
        ], statements);
    }
}
