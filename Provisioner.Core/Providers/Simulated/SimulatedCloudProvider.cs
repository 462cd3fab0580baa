using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Provisioner.Core.ApiBudgets;
using Provisioner.Core.Hosting;

namespace Provisioner.Core.Providers.Simulated;

/// <summary>
/// A cloud that lives in PostgreSQL: launches are rows, states follow from the clock and the configured
/// boot, configure and shutdown times. It is strict where real clouds are: launch tokens are idempotent and
/// reject a changed spec, capacity is finite when configured (and may change while it runs), each API action has its
/// token bucket when configured, and unknown machines are not found.
/// </summary>
internal sealed class SimulatedCloudProvider(
    NpgsqlDataSource dataSource,
    IOptionsMonitor<SimulatedCloudOptions> options,
    IOptions<ProvisionerOptions> provisioner,
    TimeProvider clock) : ICloudProvider
{
    public const string BackendName = "SIMULATED";

    /// <summary>
    /// It accepts everything a real cloud may: spot ceilings and boot scripts are recorded, not acted on. It has no
    /// dead-man switch: a simulated machine past its deadline runs (and bills) until it is terminated.
    /// </summary>
    public static readonly ProviderCapabilities DeclaredCapabilities = new()
    {
        Spot = true,
        UserData = true,
        DeadManSwitch = false,
        ResourceTags = true,
    };

    public string Name => BackendName;

    public ProviderCapabilities Capabilities => DeclaredCapabilities;

    private SimulatedCloudOptions Settings => options.CurrentValue;

    public async Task<CloudMachine> LaunchAsync(LaunchSpec spec, CancellationToken cancellationToken)
    {
        await ActLikeARemoteApiAsync(RunInstances, spec.Region, cancellationToken);
        if (Settings.Unsold.Contains(spec.InstanceType) || Settings.Unsold.Contains($"{spec.InstanceType}@{spec.Region}"))
        {
            // As EC2 answers a type it does not offer there: strict, so a launch under the catalog's spelling fails.
            throw SimulatedErrorClassifier.Classify("Unsupported",
                $"Your requested instance type ({spec.InstanceType}) is not supported in your requested region ({spec.Region}).", 400);
        }

        var tags = OwnershipTags.Merge(spec, provisioner.Value.ClusterName);
        var now = clock.GetUtcNow();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var look = await LookBeforeLaunchAsync(connection, spec, now, cancellationToken);
            if (look.Existing is { } existing)
            {
                if (existing.InstanceType != spec.InstanceType || existing.Region != spec.Region || existing.DiskGb != spec.DiskSizeGB)
                {
                    throw SimulatedErrorClassifier.Classify("IdempotentParameterMismatch",
                        $"Token {spec.IdempotencyToken} was used for a different launch ({existing.InstanceType} in {existing.Region}).", 400);
                }

                await transaction.CommitAsync(cancellationToken);
                LoseTheAnswerSometimes();
                return ToMachine(existing, now);
            }

            if (look.Capacity is { } capacity)
            {
                if (!look.Exclusive)
                {
                    // The limit was set between the look that chose the lock and the one under it: count under the
                    // exclusive lock instead (the next look sees the limit and takes it).
                    await transaction.RollbackAsync(cancellationToken);
                    continue;
                }

                if (look.Live >= capacity)
                {
                    throw SimulatedErrorClassifier.Classify("InsufficientInstanceCapacity",
                        $"No capacity for {spec.InstanceType} in {spec.Region} ({look.Live} of {capacity} in use).", 500);
                }
            }

            var inserted = await QuerySingleAsync(connection, $"""
                INSERT INTO simulated_cloud.machines (client_token, instance_type, region, disk_gb, tags, launched_at, deadline, fails)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                RETURNING {MachineColumns}
                """, cancellationToken,
                spec.IdempotencyToken, spec.InstanceType, spec.Region, spec.DiskSizeGB,
                new NpgsqlParameter { Value = JsonSerializer.Serialize(tags), NpgsqlDbType = NpgsqlDbType.Jsonb },
                now, spec.Deadline, Happens(Settings.LateFailureRate));
            await transaction.CommitAsync(cancellationToken);
            LoseTheAnswerSometimes();
            return ToMachine(inserted!, now);
        }
    }

    /// <summary>
    /// Everything a launch decides on, in one round trip: the token's lock (one launch per token at a time), the
    /// offer's capacity lock (<see cref="SimulatedCapacityLock"/>: shared unless a limit is known), a machine already
    /// launched with the token, and, read under the lock, the limit and (only when there is one) the live machines.
    /// </summary>
    private async Task<LaunchLook> LookBeforeLaunchAsync(NpgsqlConnection connection, LaunchSpec spec, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var configured = ConfiguredCapacity(spec.InstanceType, spec.Region);
        const string Limit = "coalesce((SELECT machines FROM simulated_cloud.capacity WHERE instance_type = $1 AND region = $2), $3::int)";
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command("SELECT pg_advisory_xact_lock(hashtext('simulated-token:' || $1))", spec.IdempotencyToken),
                Command($"""
                    SELECT exclusive, CASE WHEN exclusive THEN pg_advisory_xact_lock({SimulatedCapacityLock.Key})
                                           ELSE pg_advisory_xact_lock_shared({SimulatedCapacityLock.Key}) END
                      FROM (SELECT {Limit} IS NOT NULL AS exclusive) look
                    """, spec.InstanceType, spec.Region, (object?)configured ?? DBNull.Value),
                Command($"{SelectMachine} WHERE client_token = $1", spec.IdempotencyToken),
                Command($"""
                    SELECT limited, CASE WHEN limited IS NOT NULL THEN
                        (SELECT count(*) FROM simulated_cloud.machines
                          WHERE instance_type = $1 AND region = $2
                            AND (terminate_requested_at IS NULL OR terminate_requested_at + $4 > $5)) END
                      FROM (SELECT {Limit} AS limited) look
                    """, spec.InstanceType, spec.Region, (object?)configured ?? DBNull.Value, Settings.ShutdownTime, now),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var exclusive = reader.GetBoolean(0);
        await reader.NextResultAsync(cancellationToken);
        var existing = await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new LaunchLook(exclusive, existing, reader.IsDBNull(0) ? null : reader.GetInt32(0), reader.IsDBNull(1) ? 0 : reader.GetInt64(1));

        static NpgsqlBatchCommand Command(string sql, params object?[] values)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            return command;
        }
    }

    private sealed record LaunchLook(bool Exclusive, MachineRow? Existing, int? Capacity, long Live);

    public async Task<CloudMachine?> DescribeAsync(string region, string cloudInstanceId, CancellationToken cancellationToken)
    {
        await ActLikeARemoteApiAsync(Describe, region, cancellationToken);
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Like a regional endpoint, a region knows only its own machines.
        var row = await QuerySingleAsync(connection, $"{SelectMachine} WHERE id = $1 AND region = $2", cancellationToken, cloudInstanceId, region);
        if (row is null || IsForgotten(row, now) || IsHidden(row, now))
        {
            return null;
        }

        return ToMachine(row, now);
    }

    /// <summary>One Describe call (and one query) per <see cref="SimulatedCloudOptions.ListPageSize"/> machines of the region.</summary>
    public async Task<IReadOnlyList<CloudMachineStatus>> ReadStatesAsync(
        string region, IReadOnlyCollection<string> cloudInstanceIds, CancellationToken cancellationToken)
    {
        var states = new List<CloudMachineStatus>(cloudInstanceIds.Count);
        foreach (var chunk in cloudInstanceIds.Chunk(Settings.ListPageSize))
        {
            await ActLikeARemoteApiAsync(Describe, region, cancellationToken);
            var now = clock.GetUtcNow();
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"{SelectMachine} WHERE id = ANY($1) AND region = $2", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = chunk });
            command.Parameters.Add(new NpgsqlParameter { Value = region });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = Read(reader);
                if (!IsForgotten(row, now) && !IsHidden(row, now))
                {
                    states.Add(CloudMachineStatus.Of(ToMachine(row, now)));
                }
            }
        }

        return states;
    }

    public async Task<CloudMachine?> FindByInstanceAsync(string region, Guid instanceId, CancellationToken cancellationToken)
    {
        await ActLikeARemoteApiAsync(Describe, region, cancellationToken);
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await QuerySingleAsync(connection,
            $"{SelectMachine} WHERE {InstanceTag} = $1 AND {ClusterTag} = $2 AND region = $3 ORDER BY seq DESC LIMIT 1",
            cancellationToken, instanceId.ToString(), provisioner.Value.ClusterName, region);
        return row is null || IsForgotten(row, now) || IsHidden(row, now) ? null : ToMachine(row, now);
    }

    public async Task TerminateAsync(string region, string cloudInstanceId, CancellationToken cancellationToken)
    {
        await ActLikeARemoteApiAsync(TerminateInstances, region, cancellationToken);
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await QuerySingleAsync(connection, $"""
            UPDATE simulated_cloud.machines
               SET terminate_requested_at = COALESCE(terminate_requested_at, $2)
             WHERE id = $1 AND region = $3
            RETURNING {MachineColumns}
            """, cancellationToken, cloudInstanceId, now, region);
        // Unknown or long gone is success, as the port says: the caller wants it gone, and it is.
        if (row is not null)
        {
            LoseTheAnswerSometimes();
        }
    }

    public async Task<CloudMachinePage> ListOwnedAsync(string? pageToken, CancellationToken cancellationToken)
    {
        await ActLikeARemoteApiAsync(Describe, AllRegions, cancellationToken);
        var now = clock.GetUtcNow();
        var settings = Settings;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (pageToken is null)
        {
            // Once per listing: machines gone longer than the retention are forgotten, so the table stays small.
            await ExecuteAsync(connection, "DELETE FROM simulated_cloud.machines WHERE terminate_requested_at < $1", cancellationToken,
                now - settings.ShutdownTime - settings.TerminatedRetention);
        }

        var after = pageToken is null ? 0L : long.Parse(pageToken, System.Globalization.CultureInfo.InvariantCulture);
        await using var command = new NpgsqlCommand($"""
            {SelectMachine}
             WHERE {ClusterTag} = $1 AND seq > $2 AND (terminate_requested_at IS NULL OR terminate_requested_at > $3)
             ORDER BY seq LIMIT $4
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = provisioner.Value.ClusterName });
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        command.Parameters.Add(new NpgsqlParameter { Value = now - settings.ShutdownTime });
        command.Parameters.Add(new NpgsqlParameter { Value = settings.ListPageSize });
        var rows = new List<MachineRow>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(Read(reader));
            }
        }

        var next = rows.Count == settings.ListPageSize ? rows[^1].Seq.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return new CloudMachinePage([.. rows.Where(r => !IsHidden(r, now)).Select(r => ToMachine(r, now)).Where(m => m.State != CloudMachineState.Terminated)], next);
    }

    /// <summary>
    /// The catalog's types in every region asked about, less <see cref="SimulatedCloudOptions.Unsold"/>, plus
    /// <see cref="SimulatedCloudOptions.AlsoSold"/> in the same family (the name up to its last dot, as <c>sim.gpu</c>).
    /// </summary>
    public async Task<IReadOnlyList<CloudSoldType>> ListSoldAsync(
        IReadOnlyCollection<string> regions, IReadOnlyCollection<string> instanceTypes, CancellationToken cancellationToken)
    {
        await ActLikeARemoteApiAsync(Describe, AllRegions, cancellationToken);
        var settings = Settings;
        var unsold = settings.Unsold.ToHashSet(StringComparer.Ordinal);
        var families = instanceTypes.Select(FamilyOf).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sold = new List<CloudSoldType>();
        foreach (var region in regions)
        {
            sold.AddRange(instanceTypes
                .Where(type => !unsold.Contains(type) && !unsold.Contains($"{type}@{region}"))
                .Select(type => new CloudSoldType(region, type)));
            sold.AddRange(settings.AlsoSold
                .Select(entry => entry.Split('@', 2))
                .Where(parts => parts.Length == 2 && parts[1] == region && families.Contains(FamilyOf(parts[0])))
                .Select(parts => new CloudSoldType(region, parts[0])));
        }

        return sold;
    }

    private static string FamilyOf(string type) => type.LastIndexOf('.') is var dot and > 0 ? type[..dot] : type;

    /// <summary>Latency, the API's token buckets, then the injected throttles and errors.</summary>
    /// <param name="action">The EC2 action whose bucket the call draws on.</param>
    private async Task ActLikeARemoteApiAsync(string action, string region, CancellationToken cancellationToken)
    {
        var settings = Settings;
        if (settings.Latency > TimeSpan.Zero)
        {
            await Task.Delay(settings.Latency, clock, cancellationToken);
        }

        if (settings.ApiLimits.TryGetValue(action, out var limit))
        {
            // A cloud does not queue a caller: a token now, or refused (EC2 sends no retry-after). Its refill starts when
            // a call from the full bucket arrives.
            var answer = await SharedTokenBucket.TakeAsync(dataSource, "simulated_cloud.api_buckets", "simulated", region, action, limit,
                clock, TimeSpan.Zero, TimeSpan.Zero, cancellationToken);
            if (!answer.Taken)
            {
                throw new CloudProviderException(CloudErrorKind.Throttled, Name, "RequestLimitExceeded",
                    $"Request limit exceeded for {action} in {region} (the simulated cloud's bucket: {limit}).");
            }
        }

        if (Happens(settings.ThrottleRate))
        {
            throw SimulatedErrorClassifier.Classify("RequestLimitExceeded",
                "Request limit exceeded (injected by the simulated cloud's ThrottleRate).", 503, settings.ThrottleRetryAfter);
        }

        if (Happens(settings.ErrorRate))
        {
            throw SimulatedErrorClassifier.Classify("InternalError",
                "An internal error has occurred (injected by the simulated cloud's ErrorRate).", 500);
        }
    }

    /// <summary>True with probability <paramref name="rate"/> (never at 0).</summary>
    private static bool Happens(double rate)
    {
        // Chance is the point here: the rates inject failures at random into runs of the simulated cloud (demos,
        // benchmarks); a test that needs a given outcome sets the rate to 0 or 1.
#pragma warning disable RS0030
        return rate > 0 && Random.Shared.NextDouble() < rate;
#pragma warning restore RS0030
    }

    private void LoseTheAnswerSometimes()
    {
        if (Happens(Settings.LostResponseRate))
        {
            throw SimulatedErrorClassifier.Classify("RequestTimeout",
                "The request was carried out but its answer was lost (injected by the simulated cloud's LostResponseRate).", 504);
        }
    }

    private CloudMachine ToMachine(MachineRow row, DateTimeOffset now)
    {
        var state = StateOf(row, now);
        var hasAddresses = state is CloudMachineState.Initializing or CloudMachineState.Running or CloudMachineState.ShuttingDown;
        var outside = OutsideEventOf(row, now);
        var failure = state != CloudMachineState.Failed ? null
            : outside == Stopped ? SimulatedErrorClassifier.Failure("UserInitiatedShutdown",
                $"The machine was stopped outside the provisioner at {row.OutsideAt:O} (injected through SimulatedCloudControl).")
            : outside == Preempted ? SimulatedErrorClassifier.Failure("Server.SpotInstanceTermination",
                $"The spot machine was reclaimed at {row.OutsideAt:O} (injected through SimulatedCloudControl).")
            : SimulatedErrorClassifier.Failure("AllocationFailed",
                $"Allocation failed after the launch was accepted: no capacity for {row.InstanceType} in {row.Region} (injected by the simulated cloud's LateFailureRate).");
        return new CloudMachine(
            row.Id,
            state,
            row.InstanceType,
            row.Region,
            hasAddresses ? SimulatedAddresses.PublicFor(row.Seq).ToString() : null,
            hasAddresses ? SimulatedAddresses.PrivateFor(row.Seq).ToString() : null,
            row.LaunchedAt,
            OwnershipTags.ReadInstanceId(row.Tags),
            failure,
            Metadata: MachineMetadata.Of(("region", row.Region), ("instanceType", row.InstanceType), ("machineSeq", row.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            StoppedAt: outside is Stopped or Preempted ? row.OutsideAt : null,
            Health: state != CloudMachineState.Running ? CloudMachineHealth.Unknown : outside == Impaired ? CloudMachineHealth.Impaired : CloudMachineHealth.Ok,
            HealthDetail: state == CloudMachineState.Running && outside == Impaired
                ? $"instance status impaired (reachability check failed) since {row.OutsideAt:O} (injected through SimulatedCloudControl)"
                : null,
            ImpairedSince: state == CloudMachineState.Running && outside == Impaired ? row.OutsideAt : null);
    }

    /// <summary>The outside event in effect at <paramref name="now"/> (a preemption announced ahead is not yet), or null.</summary>
    private static string? OutsideEventOf(MachineRow row, DateTimeOffset now) =>
        row.TerminateRequestedAt is null && row.OutsideEvent is { } happened && row.OutsideAt <= now ? happened : null;

    private static bool IsHidden(MachineRow row, DateTimeOffset now) => OutsideEventOf(row, now) == Hidden;

    internal const string Stopped = "stop";
    internal const string Preempted = "preempt";
    internal const string Hidden = "hide";
    internal const string Impaired = "impair";

    private CloudMachineState StateOf(MachineRow row, DateTimeOffset now)
    {
        var settings = Settings;
        if (row.TerminateRequestedAt is { } stop)
        {
            return now >= stop + settings.ShutdownTime ? CloudMachineState.Terminated : CloudMachineState.ShuttingDown;
        }

        var age = now - row.LaunchedAt;
        if (age < settings.BootTime)
        {
            return CloudMachineState.Pending;
        }

        if (row.Fails || OutsideEventOf(row, now) is Stopped or Preempted)
        {
            return CloudMachineState.Failed;
        }

        return age < settings.BootTime + settings.ConfigureTime ? CloudMachineState.Initializing : CloudMachineState.Running;
    }

    private bool IsForgotten(MachineRow row, DateTimeOffset now) =>
        row.TerminateRequestedAt is { } stop && now >= stop + Settings.ShutdownTime + Settings.TerminatedRetention;

    /// <summary>The limit the settings give the offer, under any set while running; null for unlimited.</summary>
    private int? ConfiguredCapacity(string type, string region) =>
        Settings.Capacity.TryGetValue($"{type}@{region}", out var configured) ? configured : Settings.CapacityPerTypeAndRegion;

    private const string RunInstances = "RunInstances";
    private const string TerminateInstances = "TerminateInstances";
    private const string Describe = "Describe";

    /// <summary>The region key of calls that span every region (listing).</summary>
    private const string AllRegions = "*";

    private const string MachineColumns = "seq, id, client_token, instance_type, region, disk_gb, tags::text, launched_at, terminate_requested_at, fails, outside_event, outside_at";

    // Written exactly as the expression indexes in SimulatedCloudSchema, so lookups use them.
    private const string InstanceTag = $"(tags ->> '{OwnershipTags.InstanceId}')";
    private const string ClusterTag = $"(tags ->> '{OwnershipTags.Cluster}')";
    private const string SelectMachine = $"SELECT {MachineColumns} FROM simulated_cloud.machines";

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<MachineRow?> QuerySingleAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static MachineRow Read(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetInt32(5),
        JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6)) ?? [],
        reader.GetFieldValue<DateTimeOffset>(7),
        reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
        reader.GetBoolean(9),
        reader.IsDBNull(10) ? null : reader.GetString(10),
        reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11));

    private sealed record MachineRow(
        long Seq, string Id, string InstanceType, string Region, int DiskGb,
        Dictionary<string, string> Tags, DateTimeOffset LaunchedAt, DateTimeOffset? TerminateRequestedAt, bool Fails,
        string? OutsideEvent = null, DateTimeOffset? OutsideAt = null);
}
