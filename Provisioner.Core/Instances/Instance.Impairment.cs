namespace Provisioner.Core.Instances;

/// <summary>
/// A ready machine failing its cloud's health checks. Its first impaired report is kept, so
/// <c>Lifecycle:ImpairedAfter</c> is measured from it across watch passes and processes; a machine that passes its checks
/// again is forgiven. One still impaired past the setting is <see cref="MarkInterrupted">interrupted</see> by the machine watch.
/// </summary>
public sealed partial class Instance
{
    /// <summary>When the cloud first reported the machine impaired (its own time where it says, else when we first saw it); null while healthy.</summary>
    public DateTimeOffset? ImpairedSince { get; private set; }

    /// <summary>Keeps the first impaired report; a later one changes nothing.</summary>
    /// <param name="since">The cloud's time, or now; kept no later than <paramref name="now"/>.</param>
    /// <returns>Whether this is the first report (so there is something to store).</returns>
    public bool NoteImpaired(DateTimeOffset since, DateTimeOffset now)
    {
        if (ImpairedSince is not null)
        {
            return false;
        }

        ImpairedSince = since < now ? since : now;
        UpdatedAt = now;
        return true;
    }

    /// <summary>The machine passes its checks again: its impairment is forgotten, and a new one is measured afresh.</summary>
    /// <returns>Whether it had been impaired.</returns>
    public bool NoteHealthy(DateTimeOffset now)
    {
        if (ImpairedSince is null)
        {
            return false;
        }

        ImpairedSince = null;
        UpdatedAt = now;
        return true;
    }
}
