namespace Provisioner.Tests.Fakes.Novita;

/// <summary>One instance the local Novita holds: what was asked, and when things happen to it.</summary>
public sealed class LocalNovitaInstance
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string ClusterId { get; init; }
    public required string ProductId { get; init; }
    public required string ProductName { get; init; }
    public required int GpuNum { get; init; }
    public required int RootfsSize { get; init; }
    public required string ImageUrl { get; init; }
    public required string BillingMode { get; init; }
    public string? Ports { get; init; }
    public IReadOnlyDictionary<string, string> Envs { get; init; } = new Dictionary<string, string>();
    public required DateTimeOffset CreatedAt { get; init; }
    public required int Sequence { get; init; }
    public DateTimeOffset? DeleteRequestedAt { get; set; }

    /// <summary>Novita gives up on the instance from <see cref="FailsAt"/> on, with this <c>statusError</c>.</summary>
    public (string State, string Message)? Failure { get; set; }

    public DateTimeOffset? FailsAt { get; set; }

    /// <summary>Stopped outside the provisioner (Novita's console) at this time: <c>exited</c>, with <c>lastStoppedAt</c>.</summary>
    public DateTimeOffset? StoppedOutsideAt { get; set; }

    /// <summary>A <c>statusError</c> Novita reports while the instance still runs (impaired).</summary>
    public (string State, string Message)? Impairment { get; set; }
}
