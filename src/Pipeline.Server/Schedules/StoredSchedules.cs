using System.Data.Common;

namespace Pipeline.Server.Schedules;

/// <summary>
/// The schedule triggers `workflow serve` keeps in the state store's database (Quartz's tables), read
/// without starting a scheduler: what <c>workflow schedule list</c> shows as installed in serve.
/// </summary>
public static class StoredSchedules
{
    /// <returns>Each stored trigger (workflow#index) and its next fire time; empty when serve never ran on this store.</returns>
    public static IReadOnlyDictionary<string, DateTimeOffset?> Read(ScheduleStore store)
    {
        var result = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        Pipeline.Engine.Executors.Sql.SqliteLibrary.PreferTheProgramsFolder();
        try
        {
            using DbConnection connection = store.Postgres
                ? new Npgsql.NpgsqlConnection(store.ConnectionString)
                : new Microsoft.Data.Sqlite.SqliteConnection(store.ConnectionString + ";Mode=ReadOnly");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT trigger_name, next_fire_time FROM qrtz_triggers WHERE sched_name = 'pipeline' AND trigger_group = 'pipeline'";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                result[reader.GetString(0)] = reader.IsDBNull(1) ? null : new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero);
        }
        catch (DbException) { } // no database, or no Quartz tables yet: serve never ran here
        return result;
    }
}
