using System.Text.Json;

namespace Provisioner.Cli;

/// <summary>
/// Where the API is and which key to send. Each value comes from the first place that has it: the command line
/// (<c>--url</c>, <c>--api-key</c>), the environment (<c>PROVISIONER_URL</c>, <c>PROVISIONER_API_KEY</c>), then the profile file
/// (<c>PROVISIONER_CONFIG</c>, else <c>~/.config/provisioner/config.json</c>), profile <c>--profile</c>, else
/// <c>PROVISIONER_PROFILE</c>, else <c>default</c>.
/// </summary>
internal sealed record CliSettings(Uri Url, string ApiKey)
{
    public const string UrlVariable = "PROVISIONER_URL";
    public const string KeyVariable = "PROVISIONER_API_KEY";
    public const string ConfigVariable = "PROVISIONER_CONFIG";
    public const string ProfileVariable = "PROVISIONER_PROFILE";

    public static CliSettings Resolve(string? url, string? apiKey, string? profile, Func<string, string?> environment)
    {
        var file = environment(ConfigVariable)
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "provisioner", "config.json");
        var name = profile ?? environment(ProfileVariable) ?? "default";
        var stored = ReadProfile(file, name, explicitly: profile is not null || environment(ProfileVariable) is not null);
        url ??= environment(UrlVariable) ?? stored?.Url;
        apiKey ??= environment(KeyVariable) ?? stored?.ApiKey;
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            throw new UsageException(url is null
                ? $"No API address: set {UrlVariable}, pass --url, or add \"url\" to profile '{name}' in {file}."
                : $"The API address '{url}' is not an http(s) URL.");
        }

        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new UsageException($"No API key: set {KeyVariable}, pass --api-key, or add \"apiKey\" to profile '{name}' in {file}.");
        }

        return new CliSettings(address, apiKey);
    }

    private static Profile? ReadProfile(string file, string name, bool explicitly)
    {
        if (!File.Exists(file))
        {
            return explicitly ? throw new UsageException($"Profile '{name}' was asked for, but {file} does not exist.") : null;
        }

        ProfileFile? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<ProfileFile>(File.ReadAllText(file), JsonSerializerOptions.Web);
        }
        catch (JsonException error)
        {
            throw new UsageException($"{file} is not valid JSON: {error.Message}");
        }

        if (parsed?.Profiles is { } profiles && profiles.TryGetValue(name, out var found))
        {
            return found;
        }

        return explicitly ? throw new UsageException($"{file} has no profile '{name}'.") : null;
    }

    /// <summary>The file: <c>{"profiles": {"default": {"url": "http://localhost:8080", "apiKey": "prov_…"}}}</c>.</summary>
    private sealed record ProfileFile(Dictionary<string, Profile>? Profiles);

    private sealed record Profile(string? Url, string? ApiKey);
}

/// <summary>The command line or configuration is wrong: exit <see cref="ExitCodes.Usage"/> with this message.</summary>
internal sealed class UsageException(string message) : Exception(message);
