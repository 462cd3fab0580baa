namespace Provisioner.Cli;

/// <summary>What the process's exit code says happened; scripts branch on these (README: Client and CLI).</summary>
internal static class ExitCodes
{
    /// <summary>Done as asked.</summary>
    public const int Success = 0;

    /// <summary>Something unexpected (a bug): the message says what.</summary>
    public const int Unexpected = 1;

    /// <summary>Bad arguments, or no API address or key configured.</summary>
    public const int Usage = 2;

    /// <summary>The API refused the request (a 4xx problem other than those below); its code is printed.</summary>
    public const int Refused = 3;

    /// <summary>No such instance, key, webhook or budget (404).</summary>
    public const int NotFound = 4;

    /// <summary><c>up --wait</c>: the instance FAILED or ended before it was ready.</summary>
    public const int InstanceFailed = 5;

    /// <summary>A <c>--wait</c> ran past <c>--timeout</c>; the instance is left as it is.</summary>
    public const int TimedOut = 6;

    /// <summary>The key is missing, wrong or revoked (401), or may not do this (403).</summary>
    public const int NotAuthorized = 7;

    /// <summary>The API could not be reached, failed (5xx) or stayed busy (429, 503) through the retries.</summary>
    public const int Unavailable = 8;

    /// <summary>Ctrl+C: stopped waiting, the instance is left as it is (the shell's convention for SIGINT).</summary>
    public const int Cancelled = 130;
}
