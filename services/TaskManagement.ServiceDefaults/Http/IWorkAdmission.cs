namespace TaskManagement.ServiceDefaults.Http;

/// <summary>A bounded resource that can refuse work up front (see <see cref="LoadShedding"/>).</summary>
public interface IWorkAdmission
{
    /// <summary>False when work arriving now would be refused; <paramref name="retryAfter"/> is when it would finish.</summary>
    bool WouldAdmit(out TimeSpan retryAfter);
}
