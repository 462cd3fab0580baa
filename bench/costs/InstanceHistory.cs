using System.Globalization;
using Npgsql;

/// <summary>
/// The benchmarks' generator of instance history, written straight into <c>provisioner.instances</c> by one INSERT:
/// shared by bench/costs and bench/retention (linked into both), so both measure the same shape of data.
/// </summary>
internal static class InstanceHistory
{
    /// <summary>
    /// Inserts <paramref name="count"/> instances created at <paramref name="start"/> plus a random part of
    /// <paramref name="spread"/> (SQL expressions); a share <paramref name="ended"/> of them ended 5-120 minutes later.
    /// </summary>
    public static async Task InsertAsync(NpgsqlDataSource dataSource, int count, string start, string spread, double ended)
    {
        // Tenants, users, providers, types and regions spread as a busy deployment's would; durations 5-120 minutes.
        var sql = $$"""
            INSERT INTO provisioner.instances (id, owner, user_id, provider, instance_type, region, disk_size_gb, auto_terminate_minutes,
                tags, metadata, status, cost_per_hour, total_cost, created_at, updated_at, status_changed_at, auto_terminate_at,
                launched_at, terminated_at, released_at, stop_accepted_at, cost_is_estimate, billing_increment_seconds,
                billing_minimum_seconds, billing_stops_at, cost_settled, gpu_count, launch_attempt_number,
                on_interruption, max_interruptions, interruption_count, machines, earlier_machines_cost, relaunch_pending)
            SELECT gen_random_uuid(), 'tenant-' || (n % 50), 'user-' || (n % 250), p.provider, p.type, 'region-' || (n % 3), 100, 120,
                   '{}'::jsonb, '{}'::jsonb, CASE WHEN live THEN 'READY' ELSE 'TERMINATED' END, p.price, 0,
                   t, t, t, t + interval '2 hours', t + interval '20 seconds',
                   CASE WHEN live THEN NULL ELSE t + d END, CASE WHEN live THEN NULL ELSE t + d END, NULL,
                   false, p.inc, p.min, 'RELEASED', false, 1, 1, 'FAIL', 0, 0, '[]'::jsonb, 0, false
              FROM (SELECT n, {{start}} + random() * ({{spread}}) AS t, make_interval(mins => 5 + (random() * 115)::int) AS d,
                           random() >= {{ended.ToString(CultureInfo.InvariantCulture)}} AS live
                      FROM generate_series(1, {{count}}) AS n) s
              CROSS JOIN LATERAL (SELECT * FROM (VALUES
                    ('AWS', 'g5.xlarge', 1.006, 1, 60), ('AZURE', 'Standard_NC6', 0.90, 60, 60),
                    ('NOVITA', 'RTX 4090', 0.69, 1, 0), ('AWS', 'p3.2xlarge', 3.06, 1, 60)) AS v(provider, type, price, inc, min)
                    OFFSET (s.n % 4) LIMIT 1) p
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
}
