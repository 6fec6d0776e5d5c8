package validate

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

// Deployment is deploy/k8s decoded: the results volume claim, the shards Job and the merge
// Job.
type Deployment struct {
	PVC    *corev1.PersistentVolumeClaim
	Shards *batchv1.Job
	Merge  *batchv1.Job
}

// Load decodes every *.yaml file of dir strictly and picks out the three objects by the
// component label the manifests carry.
func Load(dir string) (*Deployment, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("listing manifests: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no *.yaml manifests in %s", dir)
	}
	d := &Deployment{}
	for _, f := range files {
		objs, err := DecodeFile(f)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			if err := d.add(o); err != nil {
				return nil, err
			}
		}
	}
	switch {
	case d.PVC == nil:
		return nil, fmt.Errorf("%s: no PersistentVolumeClaim for the results", dir)
	case d.Shards == nil:
		return nil, fmt.Errorf("%s: no Job labelled app.kubernetes.io/component: shard", dir)
	case d.Merge == nil:
		return nil, fmt.Errorf("%s: no Job labelled app.kubernetes.io/component: merge", dir)
	}
	return d, nil
}

func (d *Deployment) add(o Object) error {
	slot := func(dst **batchv1.Job) error {
		if *dst != nil {
			return fmt.Errorf("%s: a second %s Job", o.Source, o.Job.Labels[componentLabel])
		}
		*dst = o.Job
		return nil
	}
	switch {
	case o.PVC != nil:
		if d.PVC != nil {
			return fmt.Errorf("%s: a second PersistentVolumeClaim", o.Source)
		}
		d.PVC = o.PVC
	case o.Job.Labels[componentLabel] == "shard":
		return slot(&d.Shards)
	case o.Job.Labels[componentLabel] == "merge":
		return slot(&d.Merge)
	default:
		return fmt.Errorf("%s: Job %s has no %s label of shard or merge", o.Source, o.Job.Name, componentLabel)
	}
	return nil
}

const componentLabel = "app.kubernetes.io/component"

// Check compares what the files must agree on, beyond what decoding checks: each Job runs
// the entry command's mode for its role with the same shard count, and mounts the claim at
// the results folder the entry command writes to.
func (d *Deployment) Check() error {
	sj := d.Shards.Spec
	if sj.CompletionMode == nil || *sj.CompletionMode != batchv1.IndexedCompletion {
		return fmt.Errorf("job %s: completionMode must be Indexed (the entry command reads JOB_COMPLETION_INDEX)", d.Shards.Name)
	}
	if sj.Completions == nil || *sj.Completions < 1 {
		return fmt.Errorf("job %s: completions must be the shard count (at least 1)", d.Shards.Name)
	}
	n := int(*sj.Completions)
	if sj.Parallelism != nil && int(*sj.Parallelism) > n {
		return fmt.Errorf("job %s: parallelism %d exceeds completions %d", d.Shards.Name, *sj.Parallelism, n)
	}
	if !slices.Contains(d.PVC.Spec.AccessModes, corev1.ReadWriteMany) {
		return fmt.Errorf("claim %s: the shards' pods write to it from many nodes at once: want accessModes ReadWriteMany", d.PVC.Name)
	}
	for _, j := range []struct {
		job  *batchv1.Job
		mode string
	}{{d.Shards, "shard"}, {d.Merge, "merge"}} {
		if err := d.checkJob(j.job, j.mode, n); err != nil {
			return err
		}
	}
	return nil
}

func (d *Deployment) checkJob(job *batchv1.Job, mode string, shards int) error {
	pod := job.Spec.Template.Spec
	if pod.RestartPolicy != corev1.RestartPolicyNever {
		return fmt.Errorf("job %s: restartPolicy must be Never (a retry is a new pod, counted per index)", job.Name)
	}
	if len(pod.Containers) != 1 {
		return fmt.Errorf("job %s: want one container, got %d", job.Name, len(pod.Containers))
	}
	c := pod.Containers[0]
	if len(c.Command) != 0 || !slices.Equal(c.Args, []string{mode}) {
		return fmt.Errorf("job %s: container %s must keep the image's entry command and pass args [%s], got command %q args %q",
			job.Name, c.Name, mode, c.Command, c.Args)
	}
	if p := job.Spec.PodFailurePolicy; p != nil {
		for _, r := range p.Rules {
			if r.OnExitCodes != nil && r.OnExitCodes.ContainerName != nil && *r.OnExitCodes.ContainerName != c.Name {
				return fmt.Errorf("job %s: podFailurePolicy names container %q, the pod's is %q", job.Name, *r.OnExitCodes.ContainerName, c.Name)
			}
		}
	}
	env := map[string]string{}
	for _, e := range c.Env {
		env[e.Name] = e.Value
	}
	if got := env["FPVMDIFF_SHARDS"]; got != strconv.Itoa(shards) {
		return fmt.Errorf("job %s: FPVMDIFF_SHARDS is %q but job %s has completions %d: the shard count must agree", job.Name, got, d.Shards.Name, shards)
	}
	out := env["FPVMDIFF_OUT"]
	if out == "" {
		return fmt.Errorf("job %s: FPVMDIFF_OUT (the results folder) is not set", job.Name)
	}
	if err := d.checkResultsMount(job, c, out); err != nil {
		return err
	}
	if w, ok := env["FPVMDIFF_WORKERS"]; ok {
		workers, err := strconv.Atoi(w)
		if err != nil || workers < 1 {
			return fmt.Errorf("job %s: FPVMDIFF_WORKERS=%q: want a whole number of at least 1", job.Name, w)
		}
		if lim, ok := c.Resources.Limits[corev1.ResourceCPU]; ok && int64(workers) > lim.Value() {
			return fmt.Errorf("job %s: FPVMDIFF_WORKERS=%d exceeds the CPU limit %s: the workers would be throttled", job.Name, workers, lim.String())
		}
	}
	return nil
}

// checkResultsMount requires the folder out to be the mount of a volume backed by the
// results claim.
func (d *Deployment) checkResultsMount(job *batchv1.Job, c corev1.Container, out string) error {
	for _, m := range c.VolumeMounts {
		if m.MountPath != out {
			continue
		}
		for _, v := range job.Spec.Template.Spec.Volumes {
			if v.Name != m.Name {
				continue
			}
			if v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName != d.PVC.Name {
				return fmt.Errorf("job %s: volume %s at %s is not the claim %s", job.Name, v.Name, out, d.PVC.Name)
			}
			return nil
		}
		return fmt.Errorf("job %s: mount %s names no volume of the pod", job.Name, m.Name)
	}
	return fmt.Errorf("job %s: nothing is mounted at FPVMDIFF_OUT=%s", job.Name, out)
}
