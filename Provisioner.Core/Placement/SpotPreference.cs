namespace Provisioner.Core.Placement;

/// <summary>Which market a request accepts.</summary>
public enum SpotPreference
{
    /// <summary>On-demand only.</summary>
    Never,

    /// <summary>Spot first; on-demand when no spot offer is left.</summary>
    Preferred,

    /// <summary>Spot only.</summary>
    Required,
}
