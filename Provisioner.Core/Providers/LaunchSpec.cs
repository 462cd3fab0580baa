namespace Provisioner.Core.Providers;

/// <summary>What to launch, and the identity that makes the launch idempotent and findable.</summary>
/// <param name="InstanceId">Our record's id, written onto the machine as a tag.</param>
/// <param name="IdempotencyToken">Derived from the instance id: see <see cref="LaunchTokens"/>.</param>
/// <param name="Owner">The tenant, written onto the machine as a tag.</param>
/// <param name="Tags">The client's own tags, already valid for the cloud.</param>
/// <param name="Deadline">The hard deadline after which the machine must not run.</param>
/// <param name="SpotMaxPrice">Ask for a spot machine at no more than this per hour; null for on-demand.</param>
/// <param name="UserData">The client's boot script, to run after ours.</param>
/// <param name="GpuCount">
/// How many GPUs, for clouds that sell a product per GPU (Novita's <c>gpuNum</c>); 1 for clouds whose types have a fixed count.
/// </param>
/// <param name="Template">The cloud's own template the machine starts from (a Novita template id), when the request named one.</param>
public sealed record LaunchSpec(
    Guid InstanceId,
    string IdempotencyToken,
    string Owner,
    string InstanceType,
    string Region,
    int DiskSizeGB,
    IReadOnlyDictionary<string, string> Tags,
    DateTimeOffset Deadline,
    decimal? SpotMaxPrice = null,
    string? UserData = null,
    int GpuCount = 1,
    string? Template = null);
