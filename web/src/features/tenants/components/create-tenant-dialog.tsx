// Creating a tenant (global admins): name, a slug suggested from it, an optional description.
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { FormDialog } from '@/components/form-dialog';
import { TextField } from '@/components/text-field';
import type { DialogOpenProps } from '@/components/ui/dialog';
import { Textarea } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { toast } from '@/components/ui/toast';
import { fieldErrors } from '@/lib/api-client';
import { useCreateTenant } from '../api/create-tenant';
import { createdTenant, newTenantText, tm } from '../messages';
import { slugify } from '../slugify';

export function CreateTenantDialog({ open, onOpenChange }: DialogOpenProps) {
  const create = useCreateTenant();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugTouched, setSlugTouched] = useState(false);
  const [description, setDescription] = useState('');
  const errs = fieldErrors(create.error);
  const tr = useIntl().formatMessage;
  const onSubmit = () =>
    create.mutate(
      { name: name.trim(), slug, ...(description.trim() ? { description: description.trim() } : {}) },
      {
        onSuccess: (t) => {
          toast({ variant: 'success', title: tr(createdTenant, { name: t.name }) });
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
      {...{ open, onOpenChange, onSubmit }}
      text={newTenantText}
      mutation={create}
      ready={Boolean(name.trim() && slug)}
    >
      <TextField
        id="tenant-name"
        label={tr(tm.name)}
        error={errs.name}
        required
        value={name}
        onValueChange={(v) => {
          setName(v);
          if (!slugTouched) setSlug(slugify(v));
        }}
      />
      <TextField
        id="tenant-slug"
        label={tr(tm.slug)}
        hint={tr(tm.slugHint)}
        error={errs.slug}
        required
        value={slug}
        onValueChange={(v) => {
          setSlugTouched(true);
          setSlug(v);
        }}
      />
      <Field id="tenant-description" label={tr(tm.descriptionOptional)} error={errs.description}>
        <Textarea id="tenant-description" value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
    </FormDialog>
  );
}
