using System.CommandLine;
using Provisioner.Client.Models;
using Spectre.Console;

namespace Provisioner.Cli.Commands;

/// <summary><c>provisioner keys ls|create|revoke</c>: operators manage API keys (needs an admin key).</summary>
internal static class KeysCommand
{
    public static Command Create(CliGlobals globals)
    {
        var list = new Command("ls", "List every key (never a secret).");
        list.SetAction((parse, cancellationToken) => globals.RunAsync(parse, async (client, output, ct) =>
        {
            var keys = await client.ListApiKeysAsync(ct);
            output.Write(keys, console =>
            {
                var table = new Table().AddColumns("ID", "TENANT", "NAME", "ROLE", "CREATED", "REVOKED");
                foreach (var k in keys)
                {
                    table.AddRow(Markup.Escape(k.Id), Markup.Escape(k.Tenant), Markup.Escape(k.Name), k.Role, CliOutput.Time(k.CreatedAt), CliOutput.Time(k.RevokedAt));
                }

                console.Write(table);
            });
            return ExitCodes.Success;
        }, cancellationToken));

        var tenant = new Option<string>("--tenant") { Description = "The tenant the key acts for.", Required = true };
        var name = new Option<string>("--name") { Description = "What the key is for.", Required = true };
        var role = new Option<string?>("--role") { Description = "tenant (default) or admin." };
        var create = new Command("create", "Create a key; its secret is shown this once.") { tenant, name, role };
        create.SetAction((parse, cancellationToken) => globals.RunAsync(parse, async (client, output, ct) =>
        {
            var created = await client.CreateApiKeyAsync(new CreateApiKeyRequest(parse.GetValue(tenant)!, parse.GetValue(name)!, parse.GetValue(role)), ct);
            output.Write(created, console => console.MarkupLine(Markup.Escape(
                $"Key {created.Key.Id} for {created.Key.Tenant} ({created.Key.Role}). Its secret, shown only now:\n{created.Secret}")));
            return ExitCodes.Success;
        }, cancellationToken));

        var id = new Argument<string>("id") { Description = "The key's id." };
        var revoke = new Command("revoke", "Revoke a key; revoking again changes nothing.") { id };
        revoke.SetAction((parse, cancellationToken) => globals.RunAsync(parse, async (client, output, ct) =>
        {
            var key = await client.RevokeApiKeyAsync(parse.GetValue(id)!, ct);
            output.Write(key, console => console.MarkupLine(Markup.Escape($"Key {key.Id} revoked at {CliOutput.Time(key.RevokedAt)}.")));
            return ExitCodes.Success;
        }, cancellationToken));

        return new Command("keys", "Manage API keys (needs an admin key).") { list, create, revoke };
    }
}
