namespace Provisioner.Core.ApiBudgets;

/// <summary>
/// The shared budget of one cloud API action in one account and region (a row of <c>cloud_api_budgets</c>), written
/// only through <see cref="SharedTokenBucket"/>; read here for the Providers page.
/// </summary>
public sealed class CloudApiBucket
{
    public const string Table = "provisioner.cloud_api_budgets";

    private CloudApiBucket()
    {
        Account = Region = Action = string.Empty;
    }

    /// <summary>The account the budget belongs to: the backend's name unless settings name an account several backends share.</summary>
    public string Account { get; private set; }

    public string Region { get; private set; }

    /// <summary>The cloud's name for the limited action (<c>RunInstances</c>, <c>Describe</c>, <c>Writes</c> ...).</summary>
    public string Action { get; private set; }

    /// <summary>Tokens left when last written; below zero, calls hold tokens that refill later and wait for them.</summary>
    public double Tokens { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Calls let through since the row was created.</summary>
    public long Taken { get; private set; }

    /// <summary>Calls deferred (their job re-run later) because no token would refill within the wait allowed.</summary>
    public long Refused { get; private set; }
}
