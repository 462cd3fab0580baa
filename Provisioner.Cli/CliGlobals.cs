using System.CommandLine;
using System.Net;
using Provisioner.Client;
using Provisioner.Client.Waiting;

namespace Provisioner.Cli;

/// <summary>The options every subcommand takes, and the one place an outcome becomes an exit code.</summary>
internal sealed class CliGlobals(Func<string, string?> environment)
{
    public Option<bool> Json { get; } = new("--json") { Description = "Write JSON to stdout (errors too, as {\"error\": …}), for scripts.", Recursive = true };

    public Option<string?> Url { get; } = new("--url") { Description = $"The API's address; else ${CliSettings.UrlVariable}, else the profile.", Recursive = true };

    public Option<string?> ApiKey { get; } = new("--api-key") { Description = $"The API key; else ${CliSettings.KeyVariable}, else the profile.", Recursive = true };

    public Option<string?> Profile { get; } = new("--profile") { Description = $"A profile of ${CliSettings.ConfigVariable} (default ~/.config/provisioner/config.json).", Recursive = true };

    public IEnumerable<Option> All => [Json, Url, ApiKey, Profile];

    /// <summary>Runs a subcommand's body with a client, mapping what it throws to an exit code and a message.</summary>
    public async Task<int> RunAsync(ParseResult parse, Func<ProvisionerClient, CliOutput, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var output = new CliOutput(parse.GetValue(Json));
        try
        {
            var settings = CliSettings.Resolve(parse.GetValue(Url), parse.GetValue(ApiKey), parse.GetValue(Profile), environment);
            using var client = new ProvisionerClient(new ProvisionerClientOptions { BaseAddress = settings.Url, ApiKey = settings.ApiKey });
            return await body(client, output, cancellationToken);
        }
        catch (UsageException usage)
        {
            output.Error("usage", usage.Message);
            return ExitCodes.Usage;
        }
        catch (ProvisionerProblemException problem)
        {
            output.Problem(problem);
            return problem.Status switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.NotAuthorized,
                HttpStatusCode.NotFound => ExitCodes.NotFound,
                HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError => ExitCodes.Unavailable,
                _ => ExitCodes.Refused,
            };
        }
        catch (InstanceFailedException failed)
        {
            output.Failed(failed.Instance);
            return ExitCodes.InstanceFailed;
        }
        catch (TimeoutException timeout)
        {
            output.Error("timed_out", timeout.Message);
            return ExitCodes.TimedOut;
        }
        catch (HttpRequestException unreachable)
        {
            output.Error("unavailable", $"The API could not be reached: {unreachable.Message}");
            return ExitCodes.Unavailable;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            output.Error("unavailable", "The API did not answer in time.");
            return ExitCodes.Unavailable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.Error("cancelled", "Stopped; an instance being waited for is left as it is.");
            return ExitCodes.Cancelled;
        }
    }
}
