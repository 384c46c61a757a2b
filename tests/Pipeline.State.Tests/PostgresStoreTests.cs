using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Pipeline.State.Tests;

/// <summary>What only the PostgreSQL store does: connection strings and the server's failures.</summary>
public sealed class PostgresStoreTests : IDisposable
{
    private readonly PostgresBackend _backend = new();

    public void Dispose() => _backend.Dispose();

    [Fact]
    public void A_url_reaches_the_same_server_as_the_keyword_form()
    {
        var keywords = new NpgsqlConnectionStringBuilder(_backend.ConnectionString);
        var url = $"postgresql://{Uri.EscapeDataString(keywords.Username!)}:{Uri.EscapeDataString(keywords.Password!)}@{keywords.Host}:{keywords.Port}/{keywords.Database}"
            + $"?Search%20Path={keywords.SearchPath}";
        using (var store = PostgresStateStore.Open(url))
            store.ExecutionStarted(new ExecutionRecord { Id = "via-url", Workflow = "w", Status = "running", StartedAt = DateTimeOffset.UtcNow });
        using var again = _backend.Open();
        Assert.NotNull(again.Find("via-url"));
        Assert.Equal($"PostgreSQL {keywords.Host}:{keywords.Port}/{keywords.Database}", again.Location);
    }

    [Fact]
    public void An_unreachable_server_is_a_clear_error_that_names_it()
    {
        // A port nobody listens on: bind one, then close it.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var error = Assert.Throws<StateStoreException>(() => PostgresStateStore.Open($"Host=127.0.0.1;Port={port};Username=u;Password=hunter2;Database=d"));
        Assert.Equal($"cannot reach PostgreSQL 127.0.0.1:{port}/d: Connection refused; is the server running and listening on that address?", error.Message);
    }

    [Fact]
    public void A_wrong_password_is_reported_as_a_refused_login_without_the_password()
    {
        var wrong = new NpgsqlConnectionStringBuilder(_backend.ConnectionString) { Password = "not-the-password" };
        var error = Assert.Throws<StateStoreException>(() => PostgresStateStore.Open(wrong.ConnectionString));
        Assert.Contains("refused the login: password authentication failed", error.Message);
        Assert.DoesNotContain("not-the-password", error.Message);
    }

    [Fact]
    public void A_missing_database_and_a_malformed_string_are_clear_errors()
    {
        var missing = new NpgsqlConnectionStringBuilder(_backend.ConnectionString) { Database = "no_such_database_here" };
        Assert.Contains("database \"no_such_database_here\" does not exist; create it", Assert.Throws<StateStoreException>(() => PostgresStateStore.Open(missing.ConnectionString)).Message);
        var malformed = Assert.Throws<StateStoreException>(() => PostgresStateStore.Open("Hots=db;Password=hunter2"));
        Assert.StartsWith("the PostgreSQL connection string is not valid", malformed.Message);
        Assert.DoesNotContain("hunter2", malformed.Message);
        Assert.Contains("names no Host", Assert.Throws<StateStoreException>(() => PostgresStateStore.Open("Username=u")).Message);
    }

    [Fact]
    public void A_server_that_goes_away_mid_run_is_a_clear_error_and_what_was_committed_stays()
    {
        // An application name of its own, so only this store's connection is ended (other tests share the server).
        var name = "pipeline-test-" + Guid.NewGuid().ToString("N")[..8];
        using var store = PostgresStateStore.Open(new NpgsqlConnectionStringBuilder(_backend.ConnectionString) { ApplicationName = name }.ConnectionString);
        store.ExecutionStarted(new ExecutionRecord { Id = "before", Workflow = "w", Status = "running", StartedAt = DateTimeOffset.UtcNow });
        // Ends the store's connection from the server side, as a restart or a failover would.
        _backend.Sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + name + "'");
        var error = Assert.Throws<StateStoreException>(() => store.ExecutionFinished("before", "succeeded", DateTimeOffset.UtcNow, null));
        Assert.Contains("PostgreSQL", error.Message);
        using var again = _backend.Open();
        Assert.Equal("running", again.Find("before")!.Execution.Status);
    }
}
