using System.Buffers;
using System.Text.Json;
using Npgsql;

// The least a read of one instance can cost on this machine: Kestrel, a pooled Npgsql connection, the row read by
// its key and written as JSON. No authentication, no EF Core, no problem details: the API's GET is measured against
// it in the same run, so the ratio says what our own per-request work costs.
//   Provisioner.Bench.BareRead <connection string> --urls http://127.0.0.1:PORT
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
await using var dataSource = NpgsqlDataSource.Create(args[0]);
var app = builder.Build();
app.MapGet("/api/instances/{id:guid}", async (Guid id, HttpContext http) =>
{
    await using var command = dataSource.CreateCommand("SELECT * FROM provisioner.instances WHERE id = $1");
    command.Parameters.Add(new NpgsqlParameter { Value = id });
    await using var reader = await command.ExecuteReaderAsync(http.RequestAborted);
    if (!await reader.ReadAsync(http.RequestAborted))
    {
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        return;
    }

    var body = new ArrayBufferWriter<byte>();
    using (var json = new Utf8JsonWriter(body))
    {
        json.WriteStartObject();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            json.WritePropertyName(reader.GetName(i));
            JsonSerializer.Serialize(json, reader.IsDBNull(i) ? null : reader.GetValue(i));
        }

        json.WriteEndObject();
    }

    http.Response.ContentType = "application/json";
    await http.Response.Body.WriteAsync(body.WrittenMemory, http.RequestAborted);
});
await app.RunAsync();
