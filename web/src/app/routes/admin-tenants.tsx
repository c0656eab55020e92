// /admin/tenants: create, rename, deactivate and delete tenants (global admins).
import type { Tenant } from '@common/schemas/tenants';
import { Plus, Trash } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { DeleteDialog } from '@/components/delete-dialog';
import { FormDialog } from '@/components/form-dialog';
import { ErrorAlert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input, Textarea } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { EmptyState, PageHeader, Skeleton } from '@/components/ui/misc';
import { Switch } from '@/components/ui/switch';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { toast } from '@/components/ui/toast';
import { useMeData } from '@/features/auth/api/get-me';
import { useCreateTenant } from '@/features/tenants/api/create-tenant';
import { useDeleteTenant } from '@/features/tenants/api/delete-tenant';
import { useTenants } from '@/features/tenants/api/get-tenants';
import { useUpdateTenant } from '@/features/tenants/api/update-tenant';
import { errorMessage, fieldErrors } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/-{2,}/g, '-')
    .slice(0, 63);
}

function CreateTenantDialog({ open, onOpenChange }: { open: boolean; onOpenChange(o: boolean): void }) {
  const create = useCreateTenant();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugTouched, setSlugTouched] = useState(false);
  const [description, setDescription] = useState('');
  const errs = fieldErrors(create.error);
  const onSubmit = () =>
    create.mutate(
      { name: name.trim(), slug, ...(description.trim() ? { description: description.trim() } : {}) },
      {
        onSuccess: (t) => {
          toast({ variant: 'success', title: `Created ${t.name}` });
          setName('');
          setSlug('');
          setSlugTouched(false);
          setDescription('');
          onOpenChange(false);
        },
      },
    );
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title="New tenant"
      description="A separate space with its own servers, members and settings."
      error={create.error}
      onSubmit={onSubmit}
      submitLabel="Create tenant"
      submitDisabled={!name.trim() || !slug || create.isPending}
    >
      <Field id="tenant-name" label="Name" error={errs.name}>
        <Input
          id="tenant-name"
          required
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            if (!slugTouched) setSlug(slugify(e.target.value));
          }}
        />
      </Field>
      <Field id="tenant-slug" label="Slug" hint="Lowercase letters, digits and hyphens." error={errs.slug}>
        <Input
          id="tenant-slug"
          required
          value={slug}
          onChange={(e) => {
            setSlugTouched(true);
            setSlug(e.target.value);
          }}
        />
      </Field>
      <Field id="tenant-description" label="Description (optional)" error={errs.description}>
        <Textarea id="tenant-description" value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
    </FormDialog>
  );
}

export function Component() {
  const me = useMeData();
  const tenants = useTenants();
  const update = useUpdateTenant();
  const del = useDeleteTenant();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Tenant | null>(null);
  if (!me.can.manageTenants)
    return <EmptyState title="No access" description="Only global administrators manage tenants." />;

  return (
    <>
      <PageHeader
        title="Tenants"
        description="Every tenant on this Nexus."
        actions={
          <Button onClick={() => setCreating(true)}>
            <Plus /> New tenant
          </Button>
        }
      />
      {tenants.isPending ? (
        <Skeleton className="h-64" />
      ) : tenants.isError ? (
        <ErrorAlert error={tenants.error} />
      ) : tenants.data.tenants.length === 0 ? (
        <EmptyState title="No tenants" description="Create the first one." />
      ) : (
        <Card>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Tenant</TableHead>
                <TableHead>Slug</TableHead>
                <TableHead>Active</TableHead>
                <TableHead className="hidden md:table-cell">Created</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {tenants.data.tenants.map((t) => (
                <TableRow key={t.id}>
                  <TableCell className="max-w-64">
                    <Link to={`/tenants/${t.id}`} className="block truncate font-medium hover:underline">
                      {t.name}
                    </Link>
                    <span className="block truncate text-xs text-muted-foreground">{t.description}</span>
                  </TableCell>
                  <TableCell>
                    <code className="text-xs">{t.slug}</code>
                  </TableCell>
                  <TableCell>
                    <Switch
                      aria-label={`${t.name} active`}
                      checked={t.isActive}
                      onCheckedChange={(on) =>
                        update.mutate(
                          { tenantId: t.id, body: { isActive: on } },
                          {
                            onSuccess: () =>
                              toast({ variant: 'success', title: `${t.name} ${on ? 'activated' : 'deactivated'}` }),
                            onError: (e) =>
                              toast({ variant: 'error', title: 'Update failed', description: errorMessage(e) }),
                          },
                        )
                      }
                    />
                    {t.isActive ? null : (
                      <Badge variant="warning" className="ml-2">
                        inactive
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell className="hidden whitespace-nowrap md:table-cell">
                    {formatDateTime(t.createdAt)}
                  </TableCell>
                  <TableCell>
                    <div className="flex justify-end gap-1">
                      <Button asChild variant="ghost" size="sm">
                        <Link to={`/tenants/${t.id}/settings`}>Settings</Link>
                      </Button>
                      <Button
                        variant="ghost"
                        size="icon-sm"
                        aria-label={`Delete ${t.name}`}
                        onClick={() => setDeleting(t)}
                      >
                        <Trash />
                      </Button>
                    </div>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}
      <CreateTenantDialog open={creating} onOpenChange={setCreating} />
      <DeleteDialog
        target={deleting}
        name={(t) => t.name}
        onClose={() => setDeleting(null)}
        description="Its servers, stored credentials, memberships and settings are removed; consoles close. The audit log keeps its history."
        confirmLabel="Delete tenant"
        remove={del}
      />
    </>
  );
}
