using System.Globalization;
using System.Text.RegularExpressions;
using Provisioner.Core.Hosting;
using Provisioner.Tests.Support;
using YamlDotNet.RepresentationModel;
using Provisioner.Hosting.Health;

namespace Provisioner.Tests.Unit.Deploy;

/// <summary>
/// What can be checked of deploy/ without a container engine or a cluster (neither runs here, and no
/// kubeconform is packaged for this machine): every YAML parses, every file and image referenced exists, every
/// setting named is one the processes read and has a value they accept, probes hit real endpoints, and the
/// Kubernetes objects carry the fields a cluster needs (images, probes, resources, a grace period over the drain).
/// </summary>
public sealed partial class DeployFilesTests
{
    private static readonly string[] HealthPaths = [HealthEndpoints.LivePath, HealthEndpoints.ReadyPath];

    /// <summary>Our images, each built by its Dockerfile, by repository name.</summary>
    private static readonly Dictionary<string, string> Dockerfiles = new()
    {
        ["provisioner-api"] = "deploy/docker/Dockerfile.api",
        ["provisioner-worker"] = "deploy/docker/Dockerfile.worker",
    };

    [Fact]
    public void EveryYamlFile_Parses()
    {
        var files = DeployFiles.YamlFiles.ToList();

        files.Select(DeployFiles.Relative).Should().Contain(["deploy/compose/compose.yaml", "deploy/k8s/worker.yaml"]);
        foreach (var file in files)
        {
            DeployFiles.Load(file).Should().NotBeEmpty("{0} has at least one document", DeployFiles.Relative(file));
        }
    }

    [Fact]
    public void KubernetesObjects_HaveApiVersionKindAndName()
    {
        foreach (var (file, o) in DeployFiles.KubernetesObjects())
        {
            o.Text("apiVersion").Should().NotBeNullOrEmpty(file);
            o.Text("kind").Should().NotBeNullOrEmpty(file);
            o.Text("metadata", "name").Should().MatchRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", file);
            if (o.Text("kind") != "Namespace")
            {
                o.Text("metadata", "namespace").Should().Be("provisioner", file);
            }
        }
    }

    [Fact]
    public void Containers_HaveOurImagesResourcesAndProbesOnRealEndpoints()
    {
        var workloads = Workloads().ToList();
        workloads.Select(w => w.Kind).Should().Contain(["Deployment", "Job"]);
        foreach (var (file, kind, podSpec) in workloads)
        {
            foreach (var container in podSpec.Items("containers"))
            {
                var where = $"{file}: {container.Text("name")}";
                Dockerfiles.Should().ContainKey(ImageRepository(container.Text("image")!), where + " runs one of our images");
                container.Text("resources", "requests", "cpu").Should().NotBeNull(where);
                container.Text("resources", "requests", "memory").Should().NotBeNull(where);
                container.Text("resources", "limits", "memory").Should().NotBeNull(where);
                container.At("envFrom").Should().NotBeNull(where + " takes the settings and the secret");
                if (kind != "Deployment")
                {
                    continue;
                }

                var ports = container.Items("ports").Select(p => p.Text("name")).Concat(container.Items("ports").Select(p => p.Text("containerPort"))).ToList();
                foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
                {
                    HealthPaths.Should().Contain(container.Text(probe, "httpGet", "path"), $"{where}: {probe}");
                    ports.Should().Contain(container.Text(probe, "httpGet", "port"), $"{where}: {probe} targets a port the container declares");
                }

                container.Text("livenessProbe", "httpGet", "path").Should().Be(HealthEndpoints.LivePath, where + ": a database outage must not restart every pod");
            }
        }
    }

    [Fact]
    public void ServicesAndDisruptionBudgets_SelectTheDeploymentsPods()
    {
        var podLabels = DeployFiles.KubernetesObjects().Where(o => o.Object.Text("kind") == "Deployment")
            .Select(o => o.Object.Pairs("spec", "template", "metadata", "labels").ToHashSet()).ToList();
        var selecting = DeployFiles.KubernetesObjects().Where(o => o.Object.Text("kind") is "Service" or "PodDisruptionBudget").ToList();

        selecting.Should().HaveCount(3, "the API's Service and a budget each for the API and the workers");
        foreach (var (file, o) in selecting)
        {
            var selector = (o.Text("kind") == "Service" ? o.Pairs("spec", "selector") : o.Pairs("spec", "selector", "matchLabels")).ToList();
            selector.Should().NotBeEmpty(file);
            podLabels.Should().Contain(labels => selector.All(labels.Contains), $"{file}: {o.Text("metadata", "name")} selects a Deployment's pods");
        }
    }

    [Fact]
    public void Workers_GraceOutlastsTheirDrain()
    {
        var drain = TimeSpan.Parse(SettingsBySource()["Kubernetes"]["Worker:ShutdownTimeout"], CultureInfo.InvariantCulture);
        var worker = DeployFiles.KubernetesObjects().Single(o => o.Object.Text("metadata", "name") == "provisioner-worker" && o.Object.Text("kind") == "Deployment").Object;
        var grace = TimeSpan.FromSeconds(int.Parse(worker.Text("spec", "template", "spec", "terminationGracePeriodSeconds")!, CultureInfo.InvariantCulture));
        var compose = DeployFiles.Compose();
        var composeDrain = TimeSpan.Parse(compose.Text("x-provisioner-environment", "Worker__ShutdownTimeout")!, CultureInfo.InvariantCulture);
        var composeGrace = TimeSpan.FromSeconds(int.Parse(compose.Text("services", "worker", "stop_grace_period")!.TrimEnd('s'), CultureInfo.InvariantCulture));

        grace.Should().BeGreaterThan(drain + TimeSpan.FromSeconds(5), "the kubelet's SIGKILL must not cut a drain short");
        composeGrace.Should().BeGreaterThan(composeDrain + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void MigrationJob_RunsTheWorkersMigrateCommand()
    {
        var job = DeployFiles.KubernetesObjects().Single(o => o.Object.Text("kind") == "Job").Object;
        var container = job.Items("spec", "template", "spec", "containers").Single();

        ImageRepository(container.Text("image")!).Should().Be("provisioner-worker", "only the worker's migrate installs the job store's schema too");
        ((YamlSequenceNode)container.At("args")!).Children.Select(c => c.ToString()).Should().Equal("migrate");
        job.Text("spec", "template", "spec", "restartPolicy").Should().BeOneOf("OnFailure", "Never");
        DeployFiles.Compose().Text("services", "migrate", "command").Should().BeNull("compose gives the command as a list");
        ((YamlSequenceNode)DeployFiles.Compose().At("services", "migrate", "command")!).Children.Select(c => c.ToString()).Should().Equal("migrate");
    }

    [Fact]
    public void EverySettingNamed_IsOneTheProcessesRead_WithAValueTheyAccept()
    {
        foreach (var (source, settings) in SettingsBySource())
        {
            settings.Keys.Where(k => !ConfigurationKeys.Exists(k)).Should().BeEmpty("every environment variable in {0} maps onto a real setting", source);
            ConfigurationKeys.ValidationFailures(settings).Should().BeEmpty("the values {0} gives pass the start-up validation", source);
        }
    }

    [Fact]
    public void Compose_BuildsOurImagesFromFilesThatExist_AndWaitsForTheMigration()
    {
        var services = (YamlMappingNode)DeployFiles.Compose().At("services")!;
        var composeFolder = Path.Combine(DeployFiles.Folder, "compose");
        foreach (var (name, service) in services.Children.Select(c => (((YamlScalarNode)c.Key).Value!, c.Value)))
        {
            if (service.At("build") is { } build)
            {
                var context = Path.GetFullPath(Path.Combine(composeFolder, build.Text("context")!));
                File.Exists(Path.Combine(context, build.Text("dockerfile")!)).Should().BeTrue($"{name}'s Dockerfile exists");
                Dockerfiles[ImageRepository(service.Text("image")!)].Should().Be(build.Text("dockerfile"), $"{name}'s image is the one its Dockerfile builds");
            }

            if (name is "api" or "worker")
            {
                service.Text("depends_on", "migrate", "condition").Should().Be("service_completed_successfully", name);
                Dockerfiles.Should().ContainKey(ImageRepository(service.Text("image")!));
            }
        }

        services.Text("worker", "deploy", "replicas").Should().NotBeNull("workers run with a replica count");
    }

    [Theory]
    [InlineData("deploy/docker/Dockerfile.api", "Provisioner.Api")]
    [InlineData("deploy/docker/Dockerfile.worker", "Provisioner.Worker")]
    public void Dockerfile_CopiesFilesThatExist_RunsAsNonRoot_AndProbesLiveness(string dockerfile, string project)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, dockerfile));

        foreach (Match copy in CopyRegex().Matches(text))
        {
            var source = copy.Groups["source"].Value;
            Path.Exists(Path.Combine(RepositoryPaths.Root, source)).Should().BeTrue($"{dockerfile} copies {source}");
        }

        text.Should().Contain($"ENTRYPOINT [\"dotnet\", \"{project}.dll\"]");
        text.Should().MatchRegex(@"(?m)^USER \$APP_UID$", "the runtime stage runs as the image's non-root user");
        text.Should().MatchRegex($@"(?m)^HEALTHCHECK .*""provisioner-healthcheck"", ""8080"", ""{HealthEndpoints.LivePath}""");
        text.Should().Contain("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build").And.Contain("FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime");
        File.Exists(Path.Combine(RepositoryPaths.Root, dockerfile + ".dockerignore")).Should().BeTrue("build output stays out of the context");
    }

    [Fact]
    public void Kustomization_ListsEveryObjectFileButTheTemplateAndTheMigration()
    {
        var folder = Path.Combine(DeployFiles.Folder, "k8s");
        var kustomization = DeployFiles.Load(Path.Combine(folder, "kustomization.yaml")).Single();
        var listed = ((YamlSequenceNode)kustomization.At("resources")!).Children.Select(c => c.ToString()).ToList();
        var files = Directory.EnumerateFiles(folder, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml").ToList();

        listed.Should().OnlyContain(f => files.Contains(f));
        files.Except(listed).Should().BeEquivalentTo(["migrate-job.yaml", "secret.example.yaml"],
            "the Secret is made from its template, and the migration runs on its own before a rollout");
        kustomization.Items("images").Select(i => ImageRepository(i.Text("name")!)).Should().BeEquivalentTo(Dockerfiles.Keys);
    }

    /// <summary>
    /// The settings each way of deploying gives our processes, as configuration keys: Kubernetes (the ConfigMap, the
    /// Secret template, containers' env), compose, and each Dockerfile. Kept apart, as each is checked on its own.
    /// </summary>
    private static Dictionary<string, Dictionary<string, string>> SettingsBySource()
    {
        static Dictionary<string, string> Keyed(IEnumerable<KeyValuePair<string, string>> pairs) =>
            pairs.ToDictionary(
                p => ConfigurationKeys.FromEnvironment(p.Key),
                // Compose's own ${VAR:-default} interpolation: the value the process sees is the default.
                p => InterpolationRegex().Replace(p.Value, m => m.Groups["default"].Value),
                StringComparer.OrdinalIgnoreCase);

        var sources = new Dictionary<string, Dictionary<string, string>>
        {
            ["Kubernetes"] = Keyed(DeployFiles.KubernetesObjects().SelectMany(o => o.Object.Pairs("data").Concat(o.Object.Pairs("stringData")))
                .Concat(Workloads().SelectMany(w => w.PodSpec.Items("containers")).SelectMany(c => c.Items("env"))
                    .Select(e => KeyValuePair.Create(e.Text("name")!, e.Text("value") ?? "")))),
            ["compose"] = Keyed(DeployFiles.Compose().Pairs("x-provisioner-environment")),
        };
        foreach (var dockerfile in Dockerfiles.Values)
        {
            var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, dockerfile));
            sources[dockerfile] = Keyed(EnvInstructionRegex().Matches(text).SelectMany(env => EnvRegex().Matches(env.Groups["body"].Value))
                .Select(m => KeyValuePair.Create(m.Groups["name"].Value, m.Groups["value"].Value)));
        }

        return sources;
    }

    private static IEnumerable<(string File, string Kind, YamlMappingNode PodSpec)> Workloads() =>
        DeployFiles.KubernetesObjects()
            .Where(o => o.Object.Text("kind") is "Deployment" or "Job")
            .Select(o => (o.File, o.Object.Text("kind")!, (YamlMappingNode)o.Object.At("spec", "template", "spec")!));

    /// <summary><c>registry.example.com/provisioner-api:1.0.0</c> → <c>provisioner-api</c>.</summary>
    private static string ImageRepository(string image) => image.Split('/')[^1].Split(':')[0];

    [GeneratedRegex(@"(?m)^COPY (?!--from)(?:--\S+ )*(?<source>\S+) \S+$")]
    private static partial Regex CopyRegex();

    /// <summary>An ENV instruction with its continuation lines.</summary>
    [GeneratedRegex(@"(?m)^ENV (?<body>(?:[^\n]*\\\n)*[^\n]*)$")]
    private static partial Regex EnvInstructionRegex();

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>\S+?)(?=\s*(\\|$))", RegexOptions.Multiline)]
    private static partial Regex EnvRegex();

    [GeneratedRegex(@"\$\{[A-Z_]+:-(?<default>[^}]*)\}")]
    private static partial Regex InterpolationRegex();
}
