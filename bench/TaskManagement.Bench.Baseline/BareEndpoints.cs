using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace TaskManagement.Bench.Baseline;

/// <summary>
/// The Tasks API's two hot paths with nothing around them: the first page of a user's tasks (same columns, same
/// order, same 50 rows) and a task insert with its outbox row in one transaction.
/// </summary>
public static class BareEndpoints
{
    private static readonly string[] Priorities = ["none", "low", "medium", "high"];

    public static void MapBareEndpoints(this WebApplication app)
    {
        app.MapGet("/list", ListAsync);
        app.MapPost("/insert", InsertAsync);
    }

    private static async Task<Ok<List<BareTask>>> ListAsync(Guid user, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var command = new MySqlCommand(
            """
            SELECT id, title, description, priority, status, due_date, created_at, updated_at, completed_at, version, user_id
            FROM tasks WHERE user_id = @user ORDER BY created_at DESC, id LIMIT 50
            """, connection);
        command.Parameters.AddWithValue("@user", user);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var page = new List<BareTask>(50);
        while (await reader.ReadAsync(ct))
        {
            page.Add(new BareTask(
                reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), Priorities[reader.GetByte(3)],
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetDateOnly(5), Utc(reader.GetDateTime(6)), Utc(reader.GetDateTime(7)),
                reader.IsDBNull(8) ? null : Utc(reader.GetDateTime(8)), reader.GetInt32(9), reader.GetGuid(10)));
        }

        return TypedResults.Ok(page);
    }

    /// <summary>What POST /api/tasks writes: the task row and its task.created outbox row, committed together.</summary>
    private static async Task<Created<BareTask>> InsertAsync(Guid user, BareTaskRequest request, MySqlDataSource db, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var task = new BareTask(Guid.CreateVersion7(), request.Title.Trim(), request.Description, request.Priority ?? "medium", "pending", null, now, now, null, 1, user);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var insertTask = new MySqlCommand(
            """
            INSERT INTO tasks (id, user_id, title, description, priority, status, due_date, created_at, updated_at, completed_at, version)
            VALUES (@id, @user, @title, @description, @priority, @status, NULL, @now, @now, NULL, 1)
            """, connection, transaction);
        insertTask.Parameters.AddWithValue("@id", task.Id);
        insertTask.Parameters.AddWithValue("@user", user);
        insertTask.Parameters.AddWithValue("@title", task.Title);
        insertTask.Parameters.AddWithValue("@description", task.Description);
        insertTask.Parameters.AddWithValue("@priority", (byte)Array.IndexOf(Priorities, task.Priority));
        insertTask.Parameters.AddWithValue("@status", task.Status);
        insertTask.Parameters.AddWithValue("@now", now.UtcDateTime);
        await insertTask.ExecuteNonQueryAsync(ct);

        // Written as already published: the system's relay must not pick up the baseline's rows.
        await using var insertEvent = new MySqlCommand(
            """
            INSERT INTO outbox_messages (event_id, type, source, subject, topic, occurred_at, data, published_at, attempts)
            VALUES (@eventId, 'task.created', '/bench/baseline', @subject, 'tasks', @now, @data, @now, 0)
            """, connection, transaction);
        insertEvent.Parameters.AddWithValue("@eventId", Guid.CreateVersion7());
        insertEvent.Parameters.AddWithValue("@subject", task.Id.ToString());
        insertEvent.Parameters.AddWithValue("@now", now.UtcDateTime);
        insertEvent.Parameters.AddWithValue("@data", JsonSerializer.Serialize(new { taskId = task.Id, userId = user, task }, JsonSerializerOptions.Web));
        await insertEvent.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/insert/{task.Id}", task);
    }

    private static DateTimeOffset Utc(DateTime stored) => new(DateTime.SpecifyKind(stored, DateTimeKind.Utc));
}
