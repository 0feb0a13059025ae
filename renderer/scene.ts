// The 3-D view: a Three.js scene built from ViewerState.spec (bodies + markers) and animated from
// pose frames (7 floats per body). Ground grid, hemisphere + shadow-casting sun, orbit controls
// and an optional follow camera that keeps the user's orbit offset while tracking the root body.
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { mergeGeometries } from 'three/addons/utils/BufferGeometryUtils.js';
import type { GhostRollouts, ViewerState } from '../studio/api.ts';

export type SceneSpec = ViewerState['spec'];
type Shape = { shape: string; size: number[] };

const BACKGROUND = 0x0e1014;
const GROUND = 0x242931;

/** Geometry for a body or marker; sizes are half-extents / radii as in sim/env.ts BodyVisual. */
function geometryFor(s: Shape): THREE.BufferGeometry {
  const sz = s.size;
  const a = sz[0] ?? 0.1;
  const b = sz[1] ?? a;
  const c = sz[2] ?? a;
  switch (s.shape) {
    case 'box':
      return new THREE.BoxGeometry(2 * a, 2 * b, 2 * c);
    case 'sphere':
      return new THREE.SphereGeometry(a, 32, 16);
    case 'capsule': // [halfHeight, radius], along local y
      return new THREE.CapsuleGeometry(b, 2 * a, 8, 16);
    case 'cylinder': // [halfHeight, radius], along local y
      return new THREE.CylinderGeometry(b, b, 2 * a, 24);
    default:
      return new THREE.BoxGeometry(0.1, 0.1, 0.1);
  }
}

/** The video grid (lite look): about 8 cells across the scene in 1-2-5 steps and only as far as
 * the fog lets lines show: ~3x fewer, shorter lines than the live grid (each rasterised line
 * pixel is CPU time under software GL). The fog hides the lines before the grid's edge. */
export function liteGrid(extent: number): { cell: number; size: number; divisions: number; fogNear: number; fogFar: number } {
  const raw = (2 * extent) / 8;
  const p = 10 ** Math.floor(Math.log10(raw));
  const cell = [1, 2, 5, 10].map((m) => m * p).find((c) => c >= raw * 0.6)!;
  const half = Math.ceil((extent * 3.4) / cell) * cell;
  return { cell, size: 2 * half, divisions: Math.round((2 * half) / cell), fogNear: extent * 2.2, fogFar: Math.min(extent * 3.6, half) };
}

/** GridHelper's look with every line cut into one segment per cell. SwiftShader drops a whole
 * line when it runs under the camera (lines towards the viewer vanished from videos); cut into
 * cells, only the segments there are lost, and those are out of view anyway. */
export function segmentedGrid(size: number, divisions: number, centre: number, line: number): THREE.LineSegments {
  const half = size / 2;
  const step = size / divisions;
  const pos: number[] = [];
  const col: number[] = [];
  const a = new THREE.Color(centre);
  const b = new THREE.Color(line);
  for (let i = 0; i <= divisions; i++) {
    const k = -half + i * step;
    const c = i === divisions / 2 ? a : b;
    for (let j = 0; j < divisions; j++) {
      const u = -half + j * step;
      pos.push(u, 0, k, u + step, 0, k, k, 0, u, k, 0, u + step);
      for (let v = 0; v < 4; v++) col.push(c.r, c.g, c.b);
    }
  }
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.Float32BufferAttribute(pos, 3));
  geometry.setAttribute('color', new THREE.Float32BufferAttribute(col, 3));
  return new THREE.LineSegments(geometry, new THREE.LineBasicMaterial({ vertexColors: true, toneMapped: false }));
}

/** True for software rasterisers (SwiftShader, llvmpipe): every fragment costs CPU time there. */
export function isSoftwareGL(): boolean {
  const c = document.createElement('canvas');
  const gl = c.getContext('webgl2');
  if (!gl) return true;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|softpipe|software/i.test(name);
}

export type Quality = 'high' | 'low';

export interface PixelStats {
  width: number;
  height: number;
  mean: number;
  std: number;
  distinct: number;
}

export class StudioScene {
  readonly renderer: THREE.WebGLRenderer;
  readonly scene = new THREE.Scene();
  readonly camera = new THREE.PerspectiveCamera(45, 1, 0.05, 500);
  readonly controls: OrbitControls;
  /** When true the camera and the sun track the root body (body 0). */
  follow = false;
  /** Frames rendered per second, measured over the last second. */
  fps = 0;
  specId: string | null = null;

  private readonly ground: THREE.Mesh;
  private readonly bodyGroup = new THREE.Group();
  private readonly markerGroup = new THREE.Group();
  private readonly ghostGroup = new THREE.Group();
  private bodies: THREE.Mesh[] = [];
  private readonly sun = new THREE.DirectionalLight(0xffffff, 1.8);
  private grid: THREE.LineSegments | null = null;
  private readonly shadowCatcher = new THREE.Mesh(new THREE.PlaneGeometry(1, 1), new THREE.ShadowMaterial({ opacity: 0.45 }));
  private extent = 4;
  private lite = false;
  private gridCell = 1;
  private poses = new Float32Array(0);
  private posesDirty = false;
  private ghostTrails = 0;
  private ghostSpreadValue = 0;
  private ghostEndPoints: [number, number, number][] = [];
  // Scratch objects for the render loop: nothing is allocated per frame.
  private readonly prevRoot = new THREE.Vector3();
  private readonly delta = new THREE.Vector3();
  private hasPrevRoot = false;
  private fpsFrames = 0;
  private fpsSince = performance.now();
  private readonly resizeObserver: ResizeObserver | null = null;

  readonly quality: Quality;

  /** Low quality (the default under software GL) renders at a reduced resolution without MSAA
   * and with single-tap shadows, which keeps the view interactive without a GPU.
   * With `size` the scene is offscreen (recording): a detached canvas of exactly that many
   * pixels, no render loop (the caller renders frame by frame) and a preserved drawing buffer so
   * a VideoFrame can be taken from it after each render. */
  constructor(
    private readonly container: HTMLElement | null,
    quality: Quality | 'auto' = 'auto',
    size?: { width: number; height: number },
  ) {
    this.quality = quality === 'auto' ? (isSoftwareGL() ? 'low' : 'high') : quality;
    const high = this.quality === 'high';
    this.renderer = new THREE.WebGLRenderer({ antialias: high, preserveDrawingBuffer: !!size });
    this.renderer.setPixelRatio(size ? 1 : high ? Math.min(window.devicePixelRatio, 2) : 0.75 * Math.min(window.devicePixelRatio, 1));
    this.renderer.shadowMap.enabled = true;
    this.renderer.shadowMap.type = high ? THREE.PCFShadowMap : THREE.BasicShadowMap;
    // No tone mapping: the palette is authored for the screen, and ACES crushes the dark ground into the background.
    this.renderer.toneMapping = THREE.NoToneMapping;
    const canvas = this.renderer.domElement;
    canvas.setAttribute('data-testid', 'viewer-canvas');
    canvas.dataset.quality = this.quality;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', '3-D view of the environment (drag to orbit, arrow keys to pan)');
    canvas.tabIndex = 0;
    container?.append(canvas);

    this.scene.background = new THREE.Color(BACKGROUND);
    this.scene.fog = new THREE.Fog(BACKGROUND, 10, 20); // set per scene in buildGrid

    const hemi = new THREE.HemisphereLight(0xd8e4ff, 0x30281e, 0.9);
    this.scene.add(hemi);
    this.sun.castShadow = true;
    this.sun.shadow.mapSize.setScalar(high ? 2048 : 1024);
    this.sun.shadow.bias = -0.0005;
    this.sun.shadow.normalBias = 0.02;
    this.scene.add(this.sun, this.sun.target);

    // The ground fills most of the screen, so it is unlit (cheap under software GL); shadows land
    // on a transparent shadow catcher that only spans the lit area around the scene.
    const ground = new THREE.Mesh(new THREE.PlaneGeometry(400, 400), new THREE.MeshBasicMaterial({ color: GROUND }));
    this.ground = ground;
    ground.rotation.x = -Math.PI / 2;
    ground.name = 'ground';
    this.shadowCatcher.rotation.x = -Math.PI / 2;
    this.shadowCatcher.position.y = 0.001;
    this.shadowCatcher.receiveShadow = true;
    this.shadowCatcher.name = 'shadow-catcher';
    this.scene.add(ground, this.shadowCatcher, this.markerGroup, this.bodyGroup, this.ghostGroup);
    this.buildGrid();

    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = true;
    this.controls.maxPolarAngle = Math.PI * 0.495; // never look from under the floor
    this.controls.listenToKeyEvents(canvas); // keys only while the canvas has focus
    this.frameView();

    if (size) {
      this.renderer.setSize(size.width, size.height, false);
      this.camera.aspect = size.width / size.height;
      this.camera.updateProjectionMatrix();
      return;
    }
    this.resizeObserver = new ResizeObserver(() => this.resize());
    if (container) this.resizeObserver.observe(container);
    this.resize();
    this.renderer.setAnimationLoop(this.tick);
  }

  /** Fill-rate-light look for software GL video: no full-screen ground plane (the background
   * takes the ground colour, an endless floor that fog fades the grid into), no shadows, and a
   * coarser, shorter grid (liteGrid). Markers, bodies and ghosts are unchanged. Under SwiftShader
   * every rasterised pixel costs CPU: a plane across the screen ~70 ms, the full grid ~12 ms. */
  setLite(lite: boolean): void {
    this.lite = lite;
    this.ground.visible = !lite;
    this.shadowCatcher.visible = !lite;
    this.renderer.shadowMap.enabled = !lite;
    const bg = lite ? GROUND : BACKGROUND;
    (this.scene.background as THREE.Color).set(bg);
    (this.scene.fog as THREE.Fog).color.set(bg);
    this.buildGrid();
    this.setMarkerLook();
  }

  /** Lite look: markers (walls, goal disks: matte anyway) shade with Lambert instead of PBR,
   * ~30% less per pixel under software GL; the PBR material is kept to switch back. */
  private setMarkerLook(): void {
    for (const child of this.markerGroup.children) {
      const mesh = child as THREE.Mesh;
      const full = (mesh.userData.fullMaterial as THREE.MeshStandardMaterial | undefined) ?? (mesh.material as THREE.MeshStandardMaterial);
      if (this.lite && mesh.material === full) {
        mesh.userData.fullMaterial = full;
        mesh.material = new THREE.MeshLambertMaterial({
          color: full.color,
          transparent: full.transparent,
          opacity: full.opacity,
          depthWrite: full.depthWrite,
          emissive: full.emissive,
          emissiveIntensity: full.emissiveIntensity,
        });
      } else if (!this.lite && mesh.material !== full) {
        (mesh.material as THREE.Material).dispose();
        mesh.material = full;
        delete mesh.userData.fullMaterial;
      }
    }
  }

  /** Stops or restarts the render loop (the live view pauses while a video renders). */
  setRunning(on: boolean): void {
    if (this.resizeObserver) this.renderer.setAnimationLoop(on ? this.tick : null);
  }

  /** Rebuilds bodies and markers for a new env spec. */
  setSpec(spec: SceneSpec): void {
    this.specId = spec.id;
    this.clearGhosts();
    disposeChildren(this.bodyGroup);
    disposeChildren(this.markerGroup);
    this.bodies = spec.bodies.map((b) => {
      const mesh = new THREE.Mesh(geometryFor(b), new THREE.MeshStandardMaterial({ color: b.color, roughness: 0.5, metalness: 0.1 }));
      mesh.name = b.name;
      mesh.castShadow = true;
      mesh.receiveShadow = true;
      this.bodyGroup.add(mesh);
      return mesh;
    });
    let extent = 2;
    for (const m of spec.markers) {
      const goal = m.kind === 'goal' || m.kind === 'target';
      const material = new THREE.MeshStandardMaterial({
        color: m.color,
        roughness: 0.6,
        transparent: goal,
        opacity: goal ? 0.45 : 1,
        depthWrite: !goal,
        emissive: goal ? new THREE.Color(m.color) : new THREE.Color(0),
        emissiveIntensity: goal ? 0.35 : 0,
      });
      const mesh = new THREE.Mesh(geometryFor(m), material);
      mesh.position.set(m.position[0], m.position[1], m.position[2]);
      mesh.castShadow = !goal;
      mesh.receiveShadow = true;
      mesh.name = `${m.kind}`;
      this.markerGroup.add(mesh);
      const r = Math.max(...m.size, 0);
      extent = Math.max(extent, Math.abs(m.position[0]) + r, Math.abs(m.position[2]) + r);
    }
    this.extent = extent;
    this.buildGrid();
    this.setMarkerLook();
    this.poses = new Float32Array(spec.bodies.length * 7);
    this.hasPrevRoot = false;
    this.frameView();
  }

  /** Queues a pose frame; applied on the next rendered frame. */
  setPoses(poses: ArrayLike<number>): void {
    const n = Math.min(poses.length, this.poses.length);
    for (let i = 0; i < n; i++) this.poses[i] = poses[i]!;
    this.posesDirty = true;
  }

  /** Puts the camera where the whole scene is in view, looking at the origin (or the root body). */
  frameView(): void {
    const e = this.extent;
    const target = this.follow && this.bodies[0] ? this.bodies[0].position : this.delta.set(0, 0, 0);
    this.controls.target.copy(target);
    this.camera.position.set(target.x + e * 0.55, target.y + e * 1.05, target.z + e * 1.45);
    this.camera.far = Math.max(200, e * 30);
    this.camera.updateProjectionMatrix();
    this.placeSun(target);
    this.controls.update();
  }

  /** Draws K sampled futures as translucent trails plus ghost bodies at their final poses. All
   * trails are one merged mesh (per-vertex colour) and each body is one instanced mesh (per-ghost
   * colour): 1 + bodies draw calls instead of K × (1 + bodies), which software GL pays per frame. */
  setGhosts(g: GhostRollouts): void {
    this.clearGhosts();
    const k = g.trails.length;
    const radius = Math.max(0.015, this.extent * 0.008);
    const colors = Array.from({ length: Math.max(k, g.finalPoses.length) }, (_, i) =>
      new THREE.Color().setHSL((i / Math.max(1, k)) * 0.85, 0.75, 0.6),
    );
    const ends: THREE.Vector3[] = [];
    const tubes: THREE.BufferGeometry[] = [];
    for (let i = 0; i < k; i++) {
      const trail = g.trails[i]!;
      const pts: THREE.Vector3[] = [];
      for (let j = 0; j + 2 < trail.length; j += 3) pts.push(new THREE.Vector3(trail[j], trail[j + 1], trail[j + 2]));
      if (pts.length >= 2) {
        const tube = new THREE.TubeGeometry(new THREE.CatmullRomCurve3(pts), Math.min(128, pts.length * 2), radius, 4, false);
        const n = tube.getAttribute('position').count;
        const c = new Float32Array(n * 3);
        for (let v = 0; v < n; v++) colors[i]!.toArray(c, v * 3);
        tube.setAttribute('color', new THREE.BufferAttribute(c, 3));
        tubes.push(tube);
      }
      if (pts.length) ends.push(pts[pts.length - 1]!);
    }
    if (tubes.length) {
      const merged = mergeGeometries(tubes);
      for (const t of tubes) t.dispose();
      const mesh = new THREE.Mesh(
        merged,
        new THREE.MeshBasicMaterial({ vertexColors: true, transparent: true, opacity: 0.6, depthWrite: false }),
      );
      mesh.name = 'ghost-trail';
      this.ghostGroup.add(mesh);
    }
    const finals = g.finalPoses.map((fin, i) => ({ fin, i })).filter((f) => f.fin && f.fin.length);
    if (finals.length) {
      const m = new THREE.Matrix4();
      const p = new THREE.Vector3();
      const q = new THREE.Quaternion();
      const one = new THREE.Vector3(1, 1, 1);
      for (let b = 0; b < this.bodies.length; b++) {
        const list = finals.filter((f) => b * 7 + 6 < f.fin.length);
        if (!list.length) continue;
        const material = new THREE.MeshStandardMaterial({ color: 0xffffff, transparent: true, opacity: 0.3, depthWrite: false });
        const ghost = new THREE.InstancedMesh(this.bodies[b]!.geometry, material, list.length);
        list.forEach(({ fin, i }, n) => {
          const o = b * 7;
          p.set(fin[o]!, fin[o + 1]!, fin[o + 2]!);
          q.set(fin[o + 3]!, fin[o + 4]!, fin[o + 5]!, fin[o + 6]!);
          ghost.setMatrixAt(n, m.compose(p, q, one));
          ghost.setColorAt(n, colors[i]!);
        });
        ghost.userData.sharedGeometry = true;
        ghost.name = 'ghost-body';
        this.ghostGroup.add(ghost);
      }
    }
    this.ghostTrails = k;
    this.ghostEndPoints = ends.map((v) => [v.x, v.y, v.z]);
    let spread = 0;
    for (let i = 0; i < ends.length; i++)
      for (let j = i + 1; j < ends.length; j++) spread = Math.max(spread, ends[i]!.distanceTo(ends[j]!));
    this.ghostSpreadValue = spread;
  }

  clearGhosts(): void {
    disposeChildren(this.ghostGroup);
    this.ghostTrails = 0;
    this.ghostSpreadValue = 0;
    this.ghostEndPoints = [];
  }

  ghostEnds(): [number, number, number][] {
    return this.ghostEndPoints.map((p) => [...p]);
  }

  bodyCount(): number {
    return this.bodies.length;
  }
  markerCount(): number {
    return this.markerGroup.children.length;
  }
  ghostCount(): number {
    return this.ghostTrails;
  }
  /** Largest distance between two ghost trail end points: > 0 when the futures fan out. */
  ghostSpread(): number {
    return this.ghostSpreadValue;
  }
  rootPosition(): [number, number, number] | null {
    const p = this.bodies[0]?.position;
    return p ? [p.x, p.y, p.z] : null;
  }

  /** Renders once and reads the drawing buffer back (same task, so no preserveDrawingBuffer). */
  pixelStats(): PixelStats {
    this.renderer.render(this.scene, this.camera);
    const gl = this.renderer.getContext();
    const w = gl.drawingBufferWidth;
    const hgt = gl.drawingBufferHeight;
    const px = new Uint8Array(w * hgt * 4);
    gl.readPixels(0, 0, w, hgt, gl.RGBA, gl.UNSIGNED_BYTE, px);
    return lumaStats(px, w, hgt);
  }

  /** Mean milliseconds per frame for n synchronous renders (a 1-pixel read forces completion). */
  timeRender(n: number): number {
    const gl = this.renderer.getContext();
    const px = new Uint8Array(4);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      this.renderer.render(this.scene, this.camera);
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    }
    return (performance.now() - t0) / n;
  }

  dispose(): void {
    this.renderer.setAnimationLoop(null);
    this.resizeObserver?.disconnect();
    this.controls.dispose();
    disposeChildren(this.bodyGroup);
    disposeChildren(this.markerGroup);
    this.clearGhosts();
    this.renderer.dispose();
  }

  /** Scene extent (half-width of what should be in view), for camera placement. */
  get sceneExtent(): number {
    return this.extent;
  }

  /** Moves the sun, its shadow frustum and the grid to a new focus point (offscreen cameras). */
  focus(target: THREE.Vector3): void {
    this.placeSun(target);
  }

  /** Applies queued poses to the meshes now (the render loop does this once per frame). */
  applyPoses(): void {
    if (this.posesDirty) {
      this.posesDirty = false;
      const p = this.poses;
      for (let b = 0; b < this.bodies.length; b++) {
        const m = this.bodies[b]!;
        const o = b * 7;
        m.position.set(p[o]!, p[o + 1]!, p[o + 2]!);
        m.quaternion.set(p[o + 3]!, p[o + 4]!, p[o + 5]!, p[o + 6]!);
      }
      const root = this.bodies[0];
      if (root) {
        if (this.follow && this.hasPrevRoot) {
          // Move camera and target by the root's displacement: the user's orbit offset is kept.
          this.delta.subVectors(root.position, this.prevRoot);
          this.delta.y = 0;
          this.camera.position.add(this.delta);
          this.controls.target.add(this.delta);
          this.placeSun(this.controls.target);
        }
        const first = !this.hasPrevRoot;
        this.prevRoot.copy(root.position);
        this.hasPrevRoot = true;
        // The first pose of a new scene may find the walker far from the origin (the studio's
        // episode was already under way): frame it there, or following keeps it off-centre.
        if (first && this.follow) this.frameView();
      }
    }
  }

  private readonly tick = (): void => {
    this.applyPoses();
    this.controls.update();
    this.renderer.render(this.scene, this.camera);
    this.fpsFrames++;
    const now = performance.now();
    if (now - this.fpsSince >= 1000) {
      this.fps = (this.fpsFrames * 1000) / (now - this.fpsSince);
      this.fpsFrames = 0;
      this.fpsSince = now;
    }
  };

  /** A grid a few scene-extents wide, faded out by fog. Software GL drops lines that reach far
   * behind the camera, so the grid stays finite and, when following, moves in whole cells. */
  private buildGrid(): void {
    if (this.grid) {
      this.scene.remove(this.grid);
      this.grid.geometry.dispose();
      (this.grid.material as THREE.Material).dispose();
    }
    const fog = this.scene.fog as THREE.Fog;
    if (this.lite) {
      const g = liteGrid(this.extent);
      this.grid = segmentedGrid(g.size, g.divisions, 0x7d889c, 0x444c5c);
      this.gridCell = g.cell;
      fog.near = g.fogNear;
      fog.far = g.fogFar;
    } else {
      const size = 2 * Math.ceil(this.extent * 4);
      // Same look as GridHelper(size, size), cut per cell so software GL keeps the lines that
      // pass under the camera (it dropped them whole, leaving only one direction of lines).
      this.grid = segmentedGrid(size, size, 0x7d889c, 0x444c5c);
      this.gridCell = 1;
      fog.near = this.extent * 2.5;
      fog.far = this.extent * 4.5;
    }
    this.grid.position.y = 0.002; // above the ground to avoid z-fighting
    this.grid.name = 'grid';
    this.scene.add(this.grid);
  }

  private placeSun(target: THREE.Vector3): void {
    const e = this.extent;
    this.sun.position.set(target.x + e * 0.8, target.y + e * 2.2 + 4, target.z + e * 0.5);
    this.sun.target.position.copy(target);
    const cam = this.sun.shadow.camera;
    const r = e + 2;
    const c = this.gridCell;
    if (this.grid) this.grid.position.set(Math.round(target.x / c) * c, 0.002, Math.round(target.z / c) * c);
    this.shadowCatcher.position.x = target.x;
    this.shadowCatcher.position.z = target.z;
    this.shadowCatcher.scale.set(2 * r, 2 * r, 1);
    if (cam.right !== r) {
      cam.left = -r;
      cam.right = r;
      cam.top = r;
      cam.bottom = -r;
      cam.near = 0.1;
      cam.far = e * 6 + 20;
      cam.updateProjectionMatrix();
    }
  }

  private resize(): void {
    const w = this.container?.clientWidth || 1;
    const h = this.container?.clientHeight || 1;
    this.renderer.setSize(w, h, false);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
  }
}

function disposeChildren(group: THREE.Group): void {
  for (const child of group.children) {
    if (child instanceof THREE.Mesh) {
      if (!child.userData.sharedGeometry) (child.geometry as THREE.BufferGeometry).dispose();
      const mat = child.material as THREE.Material | THREE.Material[];
      for (const m of Array.isArray(mat) ? mat : [mat]) m.dispose();
      (child.userData.fullMaterial as THREE.Material | undefined)?.dispose();
    }
  }
  group.clear();
}

/** Mean and standard deviation of luma plus the number of distinct coarse colours. */
export function lumaStats(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): PixelStats {
  let sum = 0;
  let sum2 = 0;
  const seen = new Set<number>();
  const n = width * height;
  for (let i = 0; i < n; i++) {
    const r = rgba[i * 4]!;
    const g = rgba[i * 4 + 1]!;
    const b = rgba[i * 4 + 2]!;
    const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    sum += y;
    sum2 += y * y;
    seen.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
  }
  const mean = n ? sum / n : 0;
  return { width, height, mean, std: n ? Math.sqrt(Math.max(0, sum2 / n - mean * mean)) : 0, distinct: seen.size };
}
