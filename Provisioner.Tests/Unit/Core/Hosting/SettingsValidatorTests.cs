using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Core.Lifecycle;
using Provisioner.Worker.Jobs;

namespace Provisioner.Tests.Unit.Core.Hosting;

/// <summary>A wrong setting is reported by the key an operator sets, with the allowed range and the value given.</summary>
public sealed class SettingsValidatorTests
{
    [Fact]
    public void Validate_ValueOutOfRange_NamesTheKeyRangeAndValue()
    {
        var sut = Options<JobsOptions>(JobsOptions.Section, ("Jobs:WorkerCount", "0"));

        var act = () => sut.Value;

        act.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().ContainSingle().Which.Should().Be("Jobs:WorkerCount must be between 1 and 100 (it is 0)");
    }

    [Fact]
    public void Validate_TimeSpanOutOfRange_NamesTheKey()
    {
        var sut = Options<LifecycleOptions>(LifecycleOptions.Section, ("Lifecycle:ReadyPollInterval", "-00:00:01"));

        var act = () => sut.Value;

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle()
            .Which.Should().StartWith("Lifecycle:ReadyPollInterval must be between").And.EndWith("(it is -00:00:01)");
    }

    [Fact]
    public void Validate_RuleAcrossSettings_NamesBoth()
    {
        var sut = Options<LifecycleOptions>(LifecycleOptions.Section,
            ("Lifecycle:CloudRetryInitialDelay", "00:00:10"), ("Lifecycle:CloudRetryMaxDelay", "00:00:05"));

        var act = () => sut.Value;

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle()
            .Which.Should().Contain("Lifecycle:CloudRetryMaxDelay").And.Contain("Lifecycle:CloudRetryInitialDelay");
    }

    [Fact]
    public void Validate_Defaults_Pass()
    {
        Options<JobsOptions>(JobsOptions.Section).Value.WorkerCount.Should().Be(JobsOptions.DefaultWorkerCount(Environment.ProcessorCount));
        Options<LifecycleOptions>(LifecycleOptions.Section).Value.SweepInterval.Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Describe_SettingsFailures_OneLineEachWithoutDuplicates()
    {
        var failure = new AggregateException(
            new OptionsValidationException("Defaults", typeof(object), ["Resilience:Defaults:AttemptTimeout must be between 1 and 2 (it is 0)"]),
            new OptionsValidationException("AWS", typeof(object), ["Resilience:Defaults:AttemptTimeout must be between 1 and 2 (it is 0)"]));

        StartupFailure.Describe(failure).Split('\n').Should().HaveCount(2, "a heading and the one distinct failure");
    }

    private static IOptions<T> Options<T>(string section, params (string Key, string Value)[] settings)
        where T : class
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build();
        var services = new ServiceCollection();
        services.AddValidatedSettings<T>(configuration, section);
        return services.BuildServiceProvider().GetRequiredService<IOptions<T>>();
    }
}
