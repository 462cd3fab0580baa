using Provisioner.Core.Tenancy;

namespace Provisioner.Api.Admin;

/// <summary>
/// <c>Provisioner.Api keys create --tenant T [--name N] [--role tenant|admin]</c>, <c>keys list</c>,
/// <c>keys revoke ID</c>: manage keys from a shell, which is how the first admin key comes to exist.
/// <c>create</c> prints only the key on standard output, so scripts can capture it.
/// </summary>
public static class KeysCommand
{
    public static async Task<bool> TryRunAsync(IHost host, string[] args)
    {
        if (args.Length == 0 || args[0] != "keys")
        {
            return false;
        }

        var keys = host.Services.GetRequiredService<ApiKeyService>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        switch (args.ElementAtOrDefault(1))
        {
            case "create":
                var tenant = Option(args, "--tenant") ?? throw new ArgumentException("keys create needs --tenant");
                var role = Enum.Parse<ApiKeyRole>(Option(args, "--role") ?? "tenant", ignoreCase: true);
                var (_, secret) = await keys.CreateAsync(tenant, Option(args, "--name") ?? $"{tenant} ({role})", role, cancel.Token);
                Console.WriteLine(secret);
                break;
            case "list":
                foreach (var key in await keys.ListAsync(cancel.Token))
                {
                    Console.WriteLine($"{key.Id}\t{key.Tenant}\t{key.Role}\t{key.Name}\t{(key.IsActive ? "active" : $"revoked {key.RevokedAt:O}")}");
                }

                break;
            case "revoke":
                var id = args.ElementAtOrDefault(2) ?? throw new ArgumentException("keys revoke needs a key id");
                Console.WriteLine(await keys.RevokeAsync(id, cancel.Token) is null ? $"no key {id}" : $"revoked {id}");
                break;
            default:
                throw new ArgumentException("usage: keys create --tenant T [--name N] [--role tenant|admin] | keys list | keys revoke ID");
        }

        return true;
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
