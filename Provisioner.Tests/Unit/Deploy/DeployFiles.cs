using Provisioner.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Provisioner.Tests.Unit.Deploy;

/// <summary>The files under <c>deploy/</c>, parsed: every YAML document, with small helpers to walk them.</summary>
internal static class DeployFiles
{
    public static string Folder => Path.Combine(RepositoryPaths.Root, "deploy");

    public static IEnumerable<string> YamlFiles =>
        Directory.EnumerateFiles(Folder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>Every document of a YAML file, aliases resolved, as mappings (a file of something else fails the test).</summary>
    public static IReadOnlyList<YamlMappingNode> Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        return [.. stream.Documents.Select(d => d.RootNode as YamlMappingNode
            ?? throw new InvalidDataException($"{Relative(path)}: a document is not a mapping"))];
    }

    /// <summary>Every Kubernetes object in deploy/k8s, with the file it came from.</summary>
    public static IReadOnlyList<(string File, YamlMappingNode Object)> KubernetesObjects() =>
        [.. Directory.EnumerateFiles(Path.Combine(Folder, "k8s"), "*.yaml").Order(StringComparer.Ordinal)
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => Load(f).Select(o => (Relative(f), o)))];

    public static YamlMappingNode Compose() => Load(Path.Combine(Folder, "compose", "compose.yaml")).Single();

    public static string Relative(string path) => Path.GetRelativePath(RepositoryPaths.Root, path);

    /// <summary>The node at <paramref name="path"/> (mapping keys), or null where any step is missing.</summary>
    public static YamlNode? At(this YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static string? Text(this YamlNode node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlMappingNode> Items(this YamlNode node, params string[] path) =>
        (node.At(path) as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [];

    public static IEnumerable<KeyValuePair<string, string>> Pairs(this YamlNode node, params string[] path) =>
        (node.At(path) as YamlMappingNode)?.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, (c.Value as YamlScalarNode)?.Value ?? ""))
        ?? [];
}
