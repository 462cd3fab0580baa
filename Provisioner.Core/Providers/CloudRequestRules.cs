namespace Provisioner.Core.Providers;

/// <summary>
/// What a cloud refuses in a request, declared by its adapter (in its <see cref="ProviderCapabilities"/>) and applied
/// by the API's validator, which names no cloud: a request the cloud would refuse is refused at once, with the field.
/// </summary>
public sealed record CloudRequestRules
{
    /// <summary>A cloud with no rules beyond the API's own.</summary>
    public static readonly CloudRequestRules None = new();

    /// <summary>The cloud's name in the sentences the rules answer with ("Azure tag names ...").</summary>
    public string CloudName { get; init; } = string.Empty;

    /// <summary>
    /// Tag key prefixes the cloud keeps for itself (compared ignoring case). Refused whichever cloud a request names,
    /// as our own ownership prefix is: an instance's tags may be copied to another cloud by a failover.
    /// </summary>
    public IReadOnlyList<string> ReservedTagPrefixes { get; init; } = [];

    /// <summary>Characters the cloud refuses in tag names, though the API's own pattern allows them.</summary>
    public string TagKeyForbiddenCharacters { get; init; } = string.Empty;
}
