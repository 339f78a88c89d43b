//! Sections, `{#field}...{/field}`: left out for `None` or an empty list, in markdown and
//! text messages.

use dingbot::DingMessage;

use crate::body;

#[derive(DingMessage)]
#[ding(
    title = "Deploy {service}",
    body = "{#reason}Reason: {reason}\n\n{/reason}[Diff]({diff}) [Job](https://ci.example.com/jobs/{job})"
)]
struct DeployNote {
    service: String,
    reason: Option<String>,
    diff: String,
    job: String,
}

#[test]
fn optional_sections_and_link_targets() {
    let event = DeployNote {
        service: "api".into(),
        reason: None,
        diff: "https://git.example.com/a_b/compare?x=1&y=2".into(),
        job: "nightly build/7".into(),
    };
    assert_eq!(
        body(&event),
        "[Diff](https://git.example.com/a_b/compare?x=1&y=2) \
         [Job](https://ci.example.com/jobs/nightly%20build%2F7)"
    );
    let event = DeployNote {
        reason: Some("hotfix_1".into()),
        ..event
    };
    assert!(body(&event).starts_with("Reason: hotfix\\_1\n\n[Diff]"));
}

#[test]
fn text_messages_have_sections_too_and_empty_lists_write_nothing() {
    #[derive(DingMessage)]
    #[ding(
        text,
        body = "Backup of {host} done{#warning} (warning: {warning}){/warning}."
    )]
    struct BackupDone {
        host: String,
        warning: Option<String>,
    }
    let done = BackupDone {
        host: "db-1".into(),
        warning: None,
    };
    assert_eq!(body(&done), "Backup of db-1 done.");
    let done = BackupDone {
        warning: Some("slow *disk*".into()),
        ..done
    };
    assert_eq!(body(&done), "Backup of db-1 done (warning: slow *disk*).");

    #[derive(DingMessage)]
    #[ding(title = "Queue", body = "Stuck:\n{stuck}")]
    struct Queue {
        #[ding(list)]
        stuck: Option<Vec<u32>>,
    }
    assert_eq!(body(&Queue { stuck: None }), "Stuck:\n");
    assert_eq!(
        body(&Queue {
            stuck: Some(vec![])
        }),
        "Stuck:\n"
    );
    assert_eq!(
        body(&Queue {
            stuck: Some(vec![4, 2])
        }),
        "Stuck:\n- 4\n- 2"
    );
}

#[test]
fn text_sections_nest_and_each_goes_with_its_own_field() {
    #[derive(DingMessage)]
    #[ding(
        text,
        body = "Job {job}{#runner} on {runner}{#pool} (pool {pool}){/pool}{/runner}{#exit}, exit {exit}{/exit}."
    )]
    struct JobDone {
        job: String,
        runner: Option<String>,
        pool: Option<String>,
        exit: Option<i32>,
    }
    let done = |runner: Option<&str>, pool: Option<&str>, exit: Option<i32>| {
        body(&JobDone {
            job: "build".into(),
            runner: runner.map(str::to_owned),
            pool: pool.map(str::to_owned),
            exit,
        })
    };
    assert_eq!(done(None, None, None), "Job build.");
    // The inner section needs the outer one: no runner, no pool.
    assert_eq!(done(None, Some("gpu"), Some(0)), "Job build, exit 0.");
    assert_eq!(done(Some("r7"), None, None), "Job build on r7.");
    assert_eq!(
        done(Some("r7"), Some("gpu"), Some(1)),
        "Job build on r7 (pool gpu), exit 1."
    );
}
